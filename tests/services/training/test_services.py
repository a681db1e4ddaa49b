"""The acts of training: seats and the waiting list, refusals that name the field and
write nothing, attendance after the start, the organiser's scope."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qingqian.core import filetypes
from qingqian.core.models import AuditEvent
from qingqian.notifications.models import Notification
from qingqian.services.models import TrainingEvent, TrainingMaterial, TrainingRegistration
from qingqian.services.training import services, verbs
from tests.files import pdf_bytes
from tests.services.training.events import event_fields, registration_closed, started

pytestmark = pytest.mark.django_db
State = TrainingRegistration.State


def register_all(event, user, *usernames):
    return [services.training_register(actor=user(name), event=event) for name in usernames]


def test_seats_fill_then_the_waiting_list_in_order(make_event, user):
    event = make_event(capacity=1)
    first, second, third = register_all(event, user, "sme-demo", "sme-demo-2", "sme-js")
    assert first.state == State.REGISTERED and first.waitlist_number is None
    assert (second.state, second.waitlist_number) == (State.WAITLISTED, 1)
    assert (third.state, third.waitlist_number) == (State.WAITLISTED, 2)
    assert first.enterprise == user("sme-demo").enterprise


def test_a_cancelled_seat_goes_to_the_first_waiting_who_is_told(
    make_event, user, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    first, second, third = register_all(event, user, "sme-demo", "sme-demo-2", "sme-js")
    with django_capture_on_commit_callbacks(execute=True):
        services.training_registration_cancel(actor=user("sme-demo"), registration=first)
    states = dict(TrainingRegistration.objects.filter(event=event).values_list("pk", "state"))
    assert states == {
        first.pk: State.CANCELLED,
        second.pk: State.REGISTERED,
        third.pk: State.WAITLISTED,
    }
    told = Notification.objects.get(recipient=user("sme-demo-2"), dedup_key__startswith="training:")
    assert event.title in told.body
    assert not Notification.objects.filter(
        recipient=user("sme-js"), dedup_key__startswith="training:"
    ).exists()
    # The next seat freed goes to the next in line.
    services.training_registration_cancel(actor=user("sme-demo-2"), registration=second)
    assert TrainingRegistration.objects.get(pk=third.pk).state == State.REGISTERED
    verbs_written = AuditEvent.objects.filter(
        target_id=str(third.pk), verb=verbs.TRAINING_REGISTRATION_PROMOTE
    )
    assert verbs_written.count() == 1


def test_more_seats_promote_the_waiting_list(make_event, user):
    event = make_event(capacity=1)
    _first, second, third = register_all(event, user, "sme-demo", "sme-demo-2", "sme-js")
    services.training_event_save(
        actor=user("gd-intake"),
        event=event,
        **event_fields(
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            registration_closes_at=event.registration_closes_at,
            capacity=2,
        ),
    )
    assert TrainingRegistration.objects.get(pk=second.pk).state == State.REGISTERED
    assert TrainingRegistration.objects.get(pk=third.pk).state == State.WAITLISTED


def test_fewer_seats_than_taken_is_refused(make_event, user):
    event = make_event(capacity=2)
    register_all(event, user, "sme-demo", "sme-demo-2")
    with pytest.raises(ValidationError) as refused:
        services.training_event_save(
            actor=user("gd-intake"),
            event=event,
            **event_fields(
                starts_at=event.starts_at,
                ends_at=event.ends_at,
                registration_closes_at=event.registration_closes_at,
                capacity=1,
            ),
        )
    assert "capacity" in refused.value.message_dict
    assert TrainingEvent.objects.get(pk=event.pk).capacity == 2


def test_registration_closed_is_refused_naming_the_event(make_event, user):
    event = registration_closed(make_event())
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.training_register(actor=user("sme-demo"), event=event)
    assert "event" in refused.value.message_dict
    assert not TrainingRegistration.objects.filter(event=event).exists()
    assert AuditEvent.objects.count() == before


def test_a_cancelled_event_refuses_registration_and_tells_those_registered(
    make_event, user, django_capture_on_commit_callbacks
):
    event = make_event()
    (registration,) = register_all(event, user, "sme-demo")
    with django_capture_on_commit_callbacks(execute=True):
        services.training_event_cancel(actor=user("gd-intake"), event=event, note="场地调整")
    assert TrainingRegistration.objects.get(pk=registration.pk).state == State.CANCELLED
    assert Notification.objects.filter(
        recipient=user("sme-demo"), dedup_key=f"training-event:{event.pk}:cancelled"
    ).exists()
    with pytest.raises(ValidationError) as refused:
        services.training_register(actor=user("sme-demo-2"), event=event)
    assert "event" in refused.value.message_dict


def test_a_draft_refuses_registration(make_event, user):
    event = make_event(publish=False)
    with pytest.raises(ValidationError) as refused:
        services.training_register(actor=user("sme-demo"), event=event)
    assert "event" in refused.value.message_dict


def test_one_live_registration_per_person_but_again_after_cancelling(make_event, user):
    event = make_event()
    (registration,) = register_all(event, user, "sme-demo")
    with pytest.raises(ValidationError):
        services.training_register(actor=user("sme-demo"), event=event)
    services.training_registration_cancel(actor=user("sme-demo"), registration=registration)
    again = services.training_register(actor=user("sme-demo"), event=event)
    assert again.state == State.REGISTERED


def test_only_sme_users_register_and_only_their_own_is_cancelled(make_event, user):
    event = make_event()
    with pytest.raises(PermissionDenied):
        services.training_register(actor=user("gd-intake"), event=event)
    (registration,) = register_all(event, user, "sme-demo")
    with pytest.raises(PermissionDenied):
        services.training_registration_cancel(actor=user("sme-demo-2"), registration=registration)


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("title", {"title": "  "}),
        ("topic", {"topic": "gossip"}),
        ("place", {"place": "", "online_url": ""}),
        ("online_url", {"online_url": "javascript:alert(1)"}),
        ("capacity", {"capacity": 0}),
        ("starts_at", {"starts_at": timezone.now() - timedelta(days=1)}),
        ("ends_at", {"ends_at": timezone.now() + timedelta(days=1)}),
        ("registration_closes_at", {"registration_closes_at": timezone.now() + timedelta(days=30)}),
        ("starts_at", {"starts_at": None}),
    ],
)
def test_bad_event_input_names_the_field_and_writes_nothing(user, field, overrides):
    before = (TrainingEvent.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as refused:
        services.training_event_save(actor=user("gd-intake"), **event_fields(**overrides))
    assert field in refused.value.message_dict
    assert (TrainingEvent.objects.count(), AuditEvent.objects.count()) == before


def test_the_event_takes_the_organisers_province(make_event, user):
    event = make_event(organiser="js-intake")
    assert event.organiser == user("js-intake").organisation
    assert event.province_code == "320000"
    assert AuditEvent.objects.filter(
        verb=verbs.TRAINING_EVENT_PUBLISH, target_id=str(event.pk)
    ).exists()


def test_an_organiser_of_another_province_may_not_act(make_event, user):
    event = make_event()
    with pytest.raises(PermissionDenied):
        services.training_event_cancel(actor=user("js-intake"), event=event, note="x")
    with pytest.raises(PermissionDenied):
        services.training_event_save(actor=user("js-intake"), event=event, **event_fields())
    assert TrainingEvent.objects.get(pk=event.pk).state == TrainingEvent.State.PUBLISHED


def test_a_national_official_may_act_on_every_province(make_event, user):
    event = make_event()
    services.training_event_cancel(actor=user("supervisor"), event=event, note="统一安排")
    assert TrainingEvent.objects.get(pk=event.pk).state == TrainingEvent.State.CANCELLED


def test_attendance_only_after_the_start(make_event, user):
    event = make_event()
    (registration,) = register_all(event, user, "sme-demo")
    with pytest.raises(ValidationError) as refused:
        services.training_attendance_record(
            actor=user("gd-intake"), registration=registration, attended=True
        )
    assert "attended" in refused.value.message_dict
    assert TrainingRegistration.objects.get(pk=registration.pk).state == State.REGISTERED
    started(event)
    services.training_attendance_record(
        actor=user("gd-intake"), registration=registration, attended=True
    )
    assert TrainingRegistration.objects.get(pk=registration.pk).state == State.ATTENDED
    assert TrainingEvent.objects.get(pk=event.pk).state == TrainingEvent.State.HELD
    # A mistake is corrected: absent after all.
    services.training_attendance_record(
        actor=user("gd-intake"), registration=registration, attended=False
    )
    assert TrainingRegistration.objects.get(pk=registration.pk).state == State.ABSENT


def test_the_waiting_list_is_not_marked_and_no_cancelling_after_the_start(make_event, user):
    event = make_event(capacity=1)
    seated, waiting = register_all(event, user, "sme-demo", "sme-demo-2")
    started(event)
    with pytest.raises(ValidationError) as refused:
        services.training_attendance_record(
            actor=user("gd-intake"), registration=waiting, attended=True
        )
    assert "attended" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.training_registration_cancel(actor=user("sme-demo"), registration=seated)
    assert "registration" in refused.value.message_dict


def test_materials_a_checked_file_or_a_link(make_event, user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = make_event()
    organiser = user("gd-intake")
    material = services.training_material_add(
        actor=organiser, event=event, title="讲义", name="讲义.html", data=pdf_bytes("讲义")
    )
    assert material.original_name == "讲义.pdf" and material.content_type == filetypes.PDF
    link = services.training_material_add(
        actor=organiser, event=event, title="条例全文", url="https://www.gov.cn/zhengce/"
    )
    assert link.url and not link.is_file
    for bad, field in (
        ({"name": "x.pdf", "data": b"<html>"}, "file"),
        ({"name": "x.pdf", "data": pdf_bytes(), "url": "https://a.cn/"}, "file"),
        ({"url": "ftp://a.cn/"}, "url"),
        ({}, "file"),
    ):
        with pytest.raises(ValidationError) as refused:
            services.training_material_add(actor=organiser, event=event, title="x", **bad)
        assert field in refused.value.message_dict
    assert TrainingMaterial.objects.filter(event=event).count() == 2


def test_those_registered_are_told_of_a_new_time_not_of_a_new_title(
    make_event, user, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    register_all(event, user, "sme-demo", "sme-demo-2")  # a seat and the waiting list
    times = {
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "registration_closes_at": event.registration_closes_at,
    }
    organiser = user("gd-intake")
    with django_capture_on_commit_callbacks(execute=True):
        services.training_event_save(
            actor=organiser, event=event, **event_fields(capacity=1, title="新标题", **times)
        )
    assert not Notification.objects.filter(dedup_key__contains=":moved:").exists()
    later = {name: value + timedelta(hours=2) for name, value in times.items()}
    with django_capture_on_commit_callbacks(execute=True):
        services.training_event_save(
            actor=organiser, event=event, **event_fields(capacity=1, title="新标题", **later)
        )
    told = Notification.objects.filter(dedup_key__startswith=f"training-event:{event.pk}:moved:")
    assert {n.recipient.username for n in told} == {"sme-demo", "sme-demo-2"}
    starts = timezone.localtime(later["starts_at"]).strftime("%Y-%m-%d %H:%M")
    assert all(starts in n.body for n in told)

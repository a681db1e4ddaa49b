"""The training pages: the public list and page (published only, no personal data),
registering from the public page, the organiser's pages within their scope (404
outside), attendance and the CSV of registrations."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from qingqian.services.models import TrainingEvent, TrainingRegistration
from qingqian.services.training import services
from tests.files import pdf_bytes
from tests.services.training.events import event_fields, started

pytestmark = pytest.mark.django_db
State = TrainingRegistration.State


def test_the_public_list_shows_only_published_events(client, make_event, user):
    published = make_event(title="已发布的培训")
    draft = make_event(title="草稿培训", publish=False)
    cancelled = make_event(title="已取消的培训")
    services.training_event_cancel(actor=user("gd-intake"), event=cancelled, note="改期")
    page = client.get(reverse("training_public:list")).content.decode()
    assert published.title in page
    assert draft.title not in page and cancelled.title not in page
    assert client.get(reverse("training_public:detail", args=[draft.pk])).status_code == 404


def test_the_public_list_filters_by_province(client, make_event):
    guangdong = make_event(title="广东的培训")
    jiangsu = make_event(title="江苏的培训", organiser="js-intake")
    page = client.get(reverse("training_public:list"), {"province": "320000"}).content.decode()
    assert jiangsu.title in page and guangdong.title not in page
    page = client.get(reverse("training_public:list")).content.decode()
    assert jiangsu.title in page and guangdong.title in page


def test_public_pages_name_nobody_who_registered(client, make_event, user):
    event = make_event(capacity=1)
    for name in ("sme-demo", "sme-demo-2"):
        services.training_register(actor=user(name), event=event)
    pages = [
        client.get(reverse("training_public:list")).content.decode(),
        client.get(reverse("training_public:detail", args=[event.pk])).content.decode(),
        client.get(reverse("training_public:ics", args=[event.pk])).content.decode(),
    ]
    for name in ("sme-demo", "sme-demo-2"):
        person = user(name)
        for page in pages:
            assert person.enterprise.name not in page
            assert person.get_full_name() not in page
            assert person.username not in page
    detail = pages[1]
    assert 'data-testid="training-seats-left">0 ' in detail


def test_the_public_page_shows_seats_left_and_asks_to_sign_in(client, make_event, user):
    event = make_event(capacity=3)
    services.training_register(actor=user("sme-demo"), event=event)
    response = client.get(reverse("training_public:detail", args=[event.pk]))
    page = response.content.decode()
    assert 'data-testid="training-seats-left">2 ' in page
    assert f"{reverse('login')}?next=" in page
    anonymous = client.post(reverse("training:register", args=[event.pk]))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    assert TrainingRegistration.objects.filter(event=event).count() == 1


def test_an_sme_registers_from_the_public_page(client_for, make_event, user):
    event = make_event(capacity=1)
    services.training_register(actor=user("sme-demo-2"), event=event)
    client = client_for("sme-demo")
    response = client.post(reverse("training:register", args=[event.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("training_public:detail", args=[event.pk])
    registration = TrainingRegistration.objects.get(event=event, user=user("sme-demo"))
    assert registration.state == State.WAITLISTED
    home = client.get(reverse("training:home")).content.decode()
    assert event.title in home and 'data-state="waitlisted"' in home


def test_an_sme_cancels_from_their_page(client_for, make_event, user):
    event = make_event()
    registration = services.training_register(actor=user("sme-demo"), event=event)
    other = client_for("sme-demo-2").post(
        reverse("training:registration-cancel", args=[registration.pk])
    )
    assert other.status_code == 404
    client_for("sme-demo").post(reverse("training:registration-cancel", args=[registration.pk]))
    assert TrainingRegistration.objects.get(pk=registration.pk).state == State.CANCELLED


def test_an_organiser_of_another_province_gets_404(client_for, make_event):
    event = make_event()
    client = client_for("js-intake")
    for name in ("training:event", "training:registrations-export"):
        assert client.get(reverse(name, args=[event.pk])).status_code == 404
    fields = event_fields(title="别省改的")
    for name, data in (
        ("training:event-edit", fields),
        ("training:event-cancel", {"note": "x"}),
        ("training:event-publish", {}),
        ("training:material-add", {"title": "x", "url": "https://a.cn/"}),
    ):
        assert client.post(reverse(name, args=[event.pk]), data).status_code == 404
    event.refresh_from_db()
    assert event.state == TrainingEvent.State.PUBLISHED and event.title != "别省改的"


def test_an_sme_may_not_open_the_organisers_pages(client_for, make_event):
    event = make_event()
    client = client_for("sme-demo")
    assert client.get(reverse("training:event", args=[event.pk])).status_code == 403
    assert client.get(reverse("training:event-new")).status_code == 403


def test_the_organiser_creates_edits_and_publishes(client_for):
    client = client_for("gd-intake")
    data = event_fields(title="新的培训", capacity=30)
    for name in ("starts_at", "ends_at", "registration_closes_at"):
        data[name] = timezone.localtime(data[name]).strftime("%Y-%m-%dT%H:%M")
    bad = client.post(reverse("training:event-new"), {**data, "place": ""})
    assert bad.status_code == 400 and "place" in bad.context["form"].errors
    response = client.post(reverse("training:event-new"), data)
    event = TrainingEvent.objects.get(title="新的培训")
    assert response["Location"] == reverse("training:event", args=[event.pk])
    assert event.state == TrainingEvent.State.DRAFT and event.capacity == 30
    client.post(reverse("training:event-edit", args=[event.pk]), {**data, "capacity": 40})
    client.post(reverse("training:event-publish", args=[event.pk]))
    event.refresh_from_db()
    assert (event.capacity, event.state) == (40, TrainingEvent.State.PUBLISHED)


def test_attendance_and_the_csv_of_registrations(client_for, make_event, user):
    event = make_event(capacity=1)
    seated = services.training_register(actor=user("sme-demo"), event=event)
    services.training_register(actor=user("sme-demo-2"), event=event)
    client = client_for("gd-intake")
    url = reverse("training:attendance", args=[event.pk, seated.pk])
    client.post(url, {"attended": "yes"})
    assert TrainingRegistration.objects.get(pk=seated.pk).state == State.REGISTERED  # not yet
    started(event)
    client.post(url, {"attended": "yes"})
    assert TrainingRegistration.objects.get(pk=seated.pk).state == State.ATTENDED
    response = client.get(reverse("training:registrations-export", args=[event.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 3
    enterprises = {row[0] for row in rows[1:]}
    assert enterprises == {user("sme-demo").enterprise.name, user("sme-demo-2").enterprise.name}


def test_registering_for_a_cancelled_event_says_why_and_writes_nothing(
    client_for, make_event, user
):
    event = make_event()
    services.training_event_cancel(actor=user("gd-intake"), event=event, note="场地调整，另行通知")
    client = client_for("sme-demo")
    response = client.post(reverse("training:register", args=[event.pk]), follow=True)
    page = response.content.decode()
    assert "This event is not open for registration." in page or "该培训未开放报名" in page
    assert "场地调整，另行通知" in page
    assert not TrainingRegistration.objects.filter(event=event).exists()


def test_the_organisers_page_lists_registrations_and_offers_attendance_after_the_start(
    client_for, make_event, user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    event = make_event(capacity=1)
    services.training_register(actor=user("sme-demo"), event=event)
    services.training_register(actor=user("sme-demo-2"), event=event)
    services.training_material_add(
        actor=user("gd-intake"), event=event, title="讲义", name="讲义.pdf", data=pdf_bytes()
    )
    client = client_for("gd-intake")
    page = client.get(reverse("training:event", args=[event.pk])).content.decode()
    assert user("sme-demo").enterprise.name in page and user("sme-demo-2").enterprise.name in page
    assert "讲义.pdf" in page
    assert 'name="attended"' not in page  # not before the start
    started(event)
    page = client.get(reverse("training:event", args=[event.pk])).content.decode()
    assert page.count('name="attended" value="yes"') == 1  # the seat, not the waiting list
    home = client.get(reverse("training:home")).content.decode()
    assert event.title in home


def test_a_drafts_materials_are_not_public(client, make_event, user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = make_event(publish=False)
    material = services.training_material_add(
        actor=user("gd-intake"), event=event, title="讲义", name="讲义.pdf", data=pdf_bytes()
    )
    url = reverse("training_public:material", args=[event.pk, material.pk])
    assert client.get(url).status_code == 404
    services.training_event_publish(actor=user("gd-intake"), event=event)
    assert client.get(url).status_code == 200

"""Every act of legal aid: who may take it, what it refuses (the field named,
nothing written), what it records, whom it tells; the answer deadline on the
2025 calendar; assignment by region."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qingqian.accounts.models import Organisation
from qingqian.core.models import AuditEvent
from qingqian.notifications.models import Notification
from qingqian.services.legalaid import services, verbs
from qingqian.services.legalaid.coverage import aid_coverage_set
from qingqian.services.legalaid.demo import LEGAL_SERVICE
from qingqian.services.models import AidRequest
from tests.services.legalaid.aid import BEFORE_NATIONAL_DAY, submit

pytestmark = pytest.mark.django_db
S = AidRequest.State


@pytest.fixture
def gd_legal():
    return Organisation.objects.get(name=LEGAL_SERVICE)


@pytest.fixture
def requested(user):
    return submit(user("sme-demo"))


@pytest.fixture
def accepted(user, requested):
    return services.aid_request_accept(actor=user("gd-legal"), aid=requested, on=date(2025, 10, 9))


@pytest.fixture
def completed(user, accepted):
    return services.aid_outcome_record(
        actor=user("gd-legal"), aid=accepted, outcome="已解答：按LPR计算利息。"
    )


def _verbs(aid):
    return list(
        AuditEvent.objects.filter(target_id=str(aid.pk), verb__startswith="legalaid.")
        .order_by("seq")
        .values_list("verb", flat=True)
    )


def _refused(call, error_type, field=None):
    count, events = AidRequest.objects.count(), AuditEvent.objects.count()
    with pytest.raises(error_type) as caught:
        call()
    if field:
        assert field in caught.value.message_dict
    assert (AidRequest.objects.count(), AuditEvent.objects.count()) == (count, events)


# --- the deadline on the calendar ------------------------------------------------------


def test_three_working_days_skip_the_national_day_holiday(requested):
    # 1–8 October 2025 are holidays: 9, 10 and the make-up Saturday 11 October count.
    assert requested.submitted_on == BEFORE_NATIONAL_DAY
    assert requested.answer_due_on == date(2025, 10, 11)
    assert not requested.answer_due_provisional
    assert "3 working days after 2025-09-30" in requested.answer_due_rule


def test_an_urgent_request_is_due_the_first_working_day_after_the_holiday(user):
    aid = submit(user("sme-demo"), urgency="urgent")
    assert aid.answer_due_on == date(2025, 10, 9)


def test_the_make_up_sunday_before_the_holiday_counts(user):
    # Friday 26 September: Sunday 28 (a working day), Monday 29, Tuesday 30.
    aid = submit(user("sme-demo"), on=date(2025, 9, 26))
    assert aid.answer_due_on == date(2025, 9, 30)


# --- submitting --------------------------------------------------------------------------


def test_a_request_goes_to_the_legal_service_of_its_region_and_is_audited(
    user, gd_legal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        aid = submit(user("sme-demo"))
    assert aid.state == S.REQUESTED and aid.provider == gd_legal
    assert aid.enterprise == user("sme-demo").enterprise
    assert _verbs(aid) == [verbs.AID_REQUEST_SUBMIT]
    assert Notification.objects.filter(recipient=user("gd-legal"), url__endswith=f"/{aid.pk}/")


def test_without_a_legal_service_the_request_waits_for_the_authority(
    user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        aid = submit(user("sme-js"))
    assert aid.provider is None
    assert Notification.objects.filter(recipient=user("js-intake"), url__endswith=f"/{aid.pk}/")
    assert not Notification.objects.filter(recipient=user("gd-intake"))


def test_a_more_specific_legal_service_takes_its_city(user, gd_legal):
    city = Organisation.objects.get(name="广州市中小企业主管部门")
    from qingqian.accounts.services import organisation_create

    tianhe = organisation_create(
        actor=None,
        name="天河区法律服务站",
        kind=Organisation.Kind.LEGAL_SERVICE,
        region_code="440106",
        parent=city,
    )
    assert submit(user("sme-demo"), region_code="440100").provider == gd_legal
    assert submit(user("sme-demo"), region_code="440106").provider == tianhe
    aid_coverage_set(actor=None, provider=tianhe, region_codes=["440100"])
    assert submit(user("sme-demo"), region_code="440100").provider == tianhe
    assert submit(user("sme-demo-2"), region_code="440300").provider == gd_legal


@pytest.mark.parametrize("username", ["gd-intake", "gd-legal", "debtor-demo", "admin"])
def test_only_sme_users_submit(user, username):
    actor = user(username)
    actor.enterprise = user("sme-demo").enterprise  # even pretending to be bound
    _refused(lambda: submit(actor), PermissionDenied)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "advice"),
        ("topic", "weather"),
        ("urgency", "now"),
        ("description", "   "),
        ("region_code", "320100"),
        ("region_code", "4401"),
    ],
)
def test_a_bad_field_is_named_and_nothing_written(user, field, value):
    _refused(lambda: submit(user("sme-demo"), **{field: value}), ValidationError, field)


def test_only_the_enterprises_own_ledger_item_and_complaint_may_be_linked(user, make_item, draft):
    item, complaint = make_item(), draft()  # both of 明达 (sme-demo's enterprise)
    aid = submit(user("sme-demo"), ledger_item=item, complaint=complaint)
    assert (aid.ledger_item, aid.complaint) == (item, complaint)
    other = user("sme-demo-2")
    _refused(lambda: submit(other, ledger_item=item), ValidationError, "ledger_item")
    _refused(lambda: submit(other, complaint=complaint), ValidationError, "complaint")


# --- the legal service's answers --------------------------------------------------------


def test_accepting_on_time_and_late_freezes_the_flag(user, requested):
    late = submit(user("sme-demo"))
    aid = services.aid_request_accept(actor=user("gd-legal"), aid=requested, on=date(2025, 10, 11))
    assert (aid.state, aid.answered_on, aid.overdue) == (S.ACCEPTED, date(2025, 10, 11), False)
    late = services.aid_request_accept(actor=user("gd-legal"), aid=late, on=date(2025, 10, 13))
    assert late.overdue is True
    assert _verbs(aid) == [verbs.AID_REQUEST_SUBMIT, verbs.AID_REQUEST_ACCEPT]


@pytest.mark.parametrize("username", ["sme-demo", "gd-intake", "js-intake", "gd-handler"])
def test_only_the_assigned_legal_service_answers(user, requested, username):
    _refused(
        lambda: services.aid_request_accept(actor=user(username), aid=requested), PermissionDenied
    )
    requested.refresh_from_db()
    assert requested.state == S.REQUESTED


def test_another_legal_service_may_not_answer(user, requested):
    from qingqian.accounts.services import organisation_create, user_create

    js = Organisation.objects.get(name="江苏省中小企业主管部门")
    other = organisation_create(
        actor=None, name="江苏法律中心", kind="legal", region_code="320000", parent=js
    )
    adviser = user_create(
        actor=None,
        username="js-legal",
        password="x",
        role="adviser",
        organisation=other,
        full_name="x",
        validate=False,
    )
    _refused(lambda: services.aid_request_accept(actor=adviser, aid=requested), PermissionDenied)


def test_declining_needs_a_reason_and_ends_the_request(user, requested):
    adviser = user("gd-legal")
    _refused(
        lambda: services.aid_request_decline(actor=adviser, aid=requested, reason=" "),
        ValidationError,
        "reason",
    )
    aid = services.aid_request_decline(actor=adviser, aid=requested, reason="不属于本中心服务范围")
    assert aid.state == S.DECLINED and aid.decline_reason == "不属于本中心服务范围"
    _refused(lambda: services.aid_request_accept(actor=adviser, aid=aid), ValidationError, "state")


def test_the_appointment_is_in_the_future_at_a_known_place(user, accepted):
    adviser = user("gd-legal")
    soon = timezone.now() + timedelta(days=3)

    def appoint(**fields):
        return services.aid_appointment_set(actor=adviser, aid=accepted, **fields)

    _refused(lambda: appoint(at=None, place="online"), ValidationError, "at")
    _refused(
        lambda: appoint(at=timezone.now() - timedelta(hours=1), place="online"),
        ValidationError,
        "at",
    )
    _refused(lambda: appoint(at=soon, place="moon"), ValidationError, "place")
    aid = appoint(at=soon, place="online", note="腾讯会议 123")
    assert (aid.state, aid.appointment_at, aid.appointment_note) == (
        S.APPOINTMENT_SET,
        soon,
        "腾讯会议 123",
    )
    moved = appoint(at=soon + timedelta(days=1), place="in_person")
    assert moved.state == S.APPOINTMENT_SET and moved.appointment_place == "in_person"


def test_an_appointment_before_acceptance_is_refused(user, requested):
    soon = timezone.now() + timedelta(days=3)
    _refused(
        lambda: services.aid_appointment_set(
            actor=user("gd-legal"), aid=requested, at=soon, place="online"
        ),
        ValidationError,
        "state",
    )


def test_the_outcome_completes_and_the_requester_is_told(
    user, accepted, django_capture_on_commit_callbacks
):
    _refused(
        lambda: services.aid_outcome_record(actor=user("gd-legal"), aid=accepted, outcome=""),
        ValidationError,
        "outcome",
    )
    with django_capture_on_commit_callbacks(execute=True):
        aid = services.aid_outcome_record(
            actor=user("gd-legal"), aid=accepted, outcome="已解答", on=date(2025, 10, 10)
        )
    assert (aid.state, aid.completed_on) == (S.COMPLETED, date(2025, 10, 10))
    assert Notification.objects.filter(recipient=user("sme-demo"), url__endswith=f"/{aid.pk}/")


# --- the SME's rating and withdrawal ------------------------------------------------------


def test_only_the_requesting_sme_rates_once_from_1_to_5(user, completed):
    sme = user("sme-demo")
    for bad in (0, 6, "5", True):
        _refused(
            lambda bad=bad: services.aid_request_rate(actor=sme, aid=completed, rating=bad),
            ValidationError,
            "rating",
        )
    for other in ("sme-demo-2", "gd-legal", "gd-intake"):
        _refused(
            lambda other=other: services.aid_request_rate(
                actor=user(other), aid=completed, rating=5
            ),
            PermissionDenied,
        )
    aid = services.aid_request_rate(actor=sme, aid=completed, rating=4, comment="很有帮助")
    assert (aid.rating, aid.rating_comment, aid.state) == (4, "很有帮助", S.COMPLETED)
    _refused(
        lambda: services.aid_request_rate(actor=sme, aid=aid, rating=5), ValidationError, "rating"
    )


def test_a_request_not_completed_cannot_be_rated(user, accepted):
    _refused(
        lambda: services.aid_request_rate(actor=user("sme-demo"), aid=accepted, rating=5),
        ValidationError,
        "state",
    )


def test_the_sme_withdraws_an_open_request_only(user, accepted, requested):
    _refused(
        lambda: services.aid_request_withdraw(actor=user("sme-demo-2"), aid=accepted),
        PermissionDenied,
    )
    aid = services.aid_request_withdraw(actor=user("sme-demo"), aid=accepted)
    assert aid.state == S.WITHDRAWN
    _refused(
        lambda: services.aid_request_withdraw(actor=user("sme-demo"), aid=aid),
        ValidationError,
        "state",
    )


# --- the authority's assignment -----------------------------------------------------------


def test_an_official_of_the_region_assigns_a_waiting_request(user):
    aid = submit(user("sme-js"))
    js = Organisation.objects.get(name="江苏省中小企业主管部门")
    from qingqian.accounts.services import organisation_create

    service = organisation_create(
        actor=None, name="江苏法律中心", kind="legal", region_code="320000", parent=js
    )
    gd_service = Organisation.objects.get(name=LEGAL_SERVICE)
    _refused(
        lambda: services.aid_request_assign(actor=user("gd-intake"), aid=aid, provider=service),
        PermissionDenied,
    )
    _refused(
        lambda: services.aid_request_assign(actor=user("js-intake"), aid=aid, provider=gd_service),
        ValidationError,
        "provider",
    )
    aid = services.aid_request_assign(actor=user("js-intake"), aid=aid, provider=service)
    assert aid.provider == service and aid.state == S.REQUESTED

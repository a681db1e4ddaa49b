"""The daily sweep (reminders before the deadline, the overdue flag after it,
idempotent) and who sees which request (404 outside the scope)."""

from datetime import date

import pytest
from django.http import Http404

from qingqian.core.models import AuditEvent
from qingqian.notifications.models import Notification
from qingqian.services.legalaid import selectors, services, verbs
from qingqian.services.legalaid.sweep import aid_requests_sweep
from tests.services.legalaid.aid import submit

pytestmark = pytest.mark.django_db


def test_the_legal_service_is_reminded_the_day_before_the_deadline_once(user):
    aid = submit(user("sme-demo"))  # due 11 October 2025
    assert aid_requests_sweep(on=date(2025, 10, 9)).reminders == 0
    assert aid_requests_sweep(on=date(2025, 10, 10)).reminders == 1
    assert aid_requests_sweep(on=date(2025, 10, 10)).reminders == 0
    key = f"legal-aid:{aid.pk}:remind:2025-10-11"
    assert Notification.objects.filter(recipient=user("gd-legal"), dedup_key=key).count() == 1


def test_a_late_answer_is_flagged_once_and_the_authority_told(user):
    aid = submit(user("sme-demo"))
    first = aid_requests_sweep(on=date(2025, 10, 13))
    again = aid_requests_sweep(on=date(2025, 10, 14))
    aid.refresh_from_db()
    assert (first.flagged, again.flagged, aid.overdue) == (1, 0, True)
    events = AuditEvent.objects.filter(verb=verbs.AID_REQUEST_OVERDUE, target_id=str(aid.pk))
    assert events.count() == 1
    for username in ("gd-legal", "gd-intake"):
        assert Notification.objects.filter(recipient=user(username), dedup_key__contains="overdue")


def test_answered_requests_are_left_alone(user):
    aid = submit(user("sme-demo"))
    services.aid_request_accept(actor=user("gd-legal"), aid=aid, on=date(2025, 10, 10))
    report = aid_requests_sweep(on=date(2025, 10, 20))
    aid.refresh_from_db()
    assert (report.reminders, report.flagged, aid.overdue) == (0, 0, False)


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("sme-demo", True),
        ("sme-demo-2", False),
        ("gd-legal", True),
        ("gd-intake", True),
        ("supervisor", True),
        ("js-intake", False),
        ("gd-handler", False),
        ("debtor-demo", False),
    ],
)
def test_who_sees_a_guangzhou_request(user, username, sees):
    aid = submit(user("sme-demo"))
    assert selectors.aid_request_list(actor=user(username)).filter(pk=aid.pk).exists() == sees
    if not sees:
        with pytest.raises(Http404):
            selectors.aid_request_get(actor=user(username), pk=aid.pk)


def test_the_legal_service_does_not_see_a_request_waiting_for_the_authority(user):
    aid = submit(user("sme-js"))
    assert not selectors.aid_request_list(actor=user("gd-legal")).filter(pk=aid.pk).exists()
    assert selectors.aid_request_list(actor=user("js-intake")).filter(pk=aid.pk).exists()

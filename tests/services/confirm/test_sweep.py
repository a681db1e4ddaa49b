"""The daily job: reminders before the due date, once per due date; requests
unanswered past it lapse, breached, and the supervising authority hears of it;
running it again changes nothing. A late answer keeps the breach, and the
debtor's public record counts it."""

from __future__ import annotations

from datetime import date

import pytest

from qingqian.notifications.models import Notification
from qingqian.publication.tasks import publication_daily
from qingqian.services.confirmations import services
from qingqian.services.confirmations.selectors import breached_requests_count
from qingqian.services.models import ConfirmationRequest
from tests.services.confirm.requests import YUAN, answer, send

S = ConfirmationRequest.State
pytestmark = pytest.mark.django_db


def notices(user, username: str, request) -> list[str]:
    return list(
        Notification.objects.filter(
            recipient=user(username), dedup_key__startswith=f"confirmation:{request.pk}:"
        ).values_list("dedup_key", flat=True)
    )


def sweep(captured, on: date) -> dict:
    with captured(execute=True):
        return services.confirmation_requests_sweep(on=on)


def test_the_debtor_hears_of_the_request(user, debtor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = send(debtor=debtor)
    assert notices(user, "debtor-demo", request) == [f"confirmation:{request.pk}:send"]
    assert notices(user, "sme-demo", request) == []  # never the person who acted


def test_a_reminder_within_seven_days_of_the_due_date_once(
    user, debtor, django_capture_on_commit_callbacks
):
    request = send(debtor=debtor)  # due 2026-11-09
    assert (
        sweep(django_capture_on_commit_callbacks, date(2026, 11, 1))["confirmation_reminders"] == 0
    )
    assert notices(user, "debtor-demo", request) == []
    sweep(django_capture_on_commit_callbacks, date(2026, 11, 2))
    sweep(django_capture_on_commit_callbacks, date(2026, 11, 3))
    assert notices(user, "debtor-demo", request) == [f"confirmation:{request.pk}:remind:2026-11-09"]


def test_an_unanswered_request_lapses_breached_once(
    user, debtor, django_capture_on_commit_callbacks
):
    request = send(debtor=debtor)  # due 2026-11-09
    assert (
        sweep(django_capture_on_commit_callbacks, date(2026, 11, 9))["confirmation_requests_lapsed"]
        == 0
    )
    result = sweep(django_capture_on_commit_callbacks, date(2026, 11, 10))
    assert result["confirmation_requests_lapsed"] == 1
    request.refresh_from_db()
    assert (request.state, request.breached, request.link_token_hash) == (S.LAPSED, True, "")
    # Guangzhou's authority has no staff for this: Guangdong's officials hear of it.
    assert f"confirmation:{request.pk}:lapse" in notices(user, "gd-intake", request)
    assert f"confirmation:{request.pk}:lapse" in notices(user, "sme-demo", request)
    assert notices(user, "js-intake", request) == []
    again = sweep(django_capture_on_commit_callbacks, date(2026, 11, 11))
    assert again["confirmation_requests_lapsed"] == 0
    assert notices(user, "gd-intake", request).count(f"confirmation:{request.pk}:lapse") == 1


def test_a_late_answer_is_recorded_and_stays_a_breach(debtor, django_capture_on_commit_callbacks):
    request = send(debtor=debtor)
    sweep(django_capture_on_commit_callbacks, date(2026, 11, 10))
    request = answer(
        request,
        confirmed=50_000 * YUAN,
        disputed=50_000 * YUAN,
        reason="对账差异",
        on=date(2026, 11, 12),
    )
    assert (request.state, request.breached) == (S.PARTLY_CONFIRMED, True)
    assert request.ledger_item.disputed_fen == 50_000 * YUAN


def test_an_answer_after_the_due_date_before_the_job_is_a_breach(debtor):
    request = answer(
        send(debtor=debtor), confirmed=100_000 * YUAN, disputed=0, on=date(2026, 11, 10)
    )
    assert request.breached


def test_an_answer_on_the_due_date_is_in_time(debtor):
    request = answer(
        send(debtor=debtor), confirmed=100_000 * YUAN, disputed=0, on=date(2026, 11, 9)
    )
    assert not request.breached


def test_the_register_counts_the_debtors_breaches(
    client, debtor, django_capture_on_commit_callbacks
):
    before = breached_requests_count(debtor)
    send(debtor=debtor)
    send(debtor=debtor, contract_number="QR-2026-002", on=date(2026, 10, 30))  # due 2026-11-30
    answer(send(debtor=debtor, contract_number="QR-2026-003"), confirmed=100_000 * YUAN, disputed=0)
    sweep(django_capture_on_commit_callbacks, date(2026, 11, 10))
    assert breached_requests_count(debtor) == before + 1
    page = client.get(f"/public/register/{debtor.uscc}/")
    assert page.status_code == 200
    cell = page.content.decode().split('data-testid="register-confirmation-breaches">')[1]
    assert cell.startswith(f"{before + 1}<")


def test_the_daily_publication_job_runs_the_sweep(debtor):
    send(debtor=debtor)
    result = publication_daily(date(2026, 11, 10))
    assert result["confirmation_requests_lapsed"] == 1


def test_a_holiday_added_later_moves_the_due_date_of_an_awaiting_request(user, debtor):
    """Alaveteli's bug #7292, not repeated: the clock follows the calendar's changes."""
    from qingqian.reference.services.calendar import calendar_set_day

    awaiting = send(debtor=debtor)  # day 30 is Saturday 2026-11-07: due Monday 11-09
    answered = answer(
        send(debtor=debtor, contract_number="QR-2026-009"), confirmed=100_000 * YUAN, disputed=0
    )
    calendar_set_day(actor=user("admin"), date=date(2026, 11, 9), kind="holiday", name="测试")
    awaiting.refresh_from_db()
    assert awaiting.answer_due_on == date(2026, 11, 10)
    answered.refresh_from_db()
    assert answered.answer_due_on == date(2026, 11, 9)  # frozen once answered

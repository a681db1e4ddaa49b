"""Statutory clocks of a complaint on the real 2025/2026 schedules (seeded from
chinesecalendar), hand-checked against DOMAIN.md §6:

2025 National Day: 10-1..10-8 off, 9-28 (Sun) and 10-11 (Sat) worked.
2026 Spring Festival: 2-15..2-23 off, 2-14 (Sat) and 2-28 (Sat) worked.
2026 Mid-Autumn 9-25..9-27 off; National Day 10-1..10-7 off, 9-20 (Sun) and 10-10 (Sat) worked.
"""

from datetime import date

import chinese_calendar
import pytest
from django.core.exceptions import ValidationError

from qingqian.accounts.models import Organisation
from qingqian.complaints import services
from qingqian.complaints.models import Deadline
from qingqian.core.models import AuditEvent
from qingqian.core.workdays import parse_schedule_csv
from qingqian.reference.services.calendar import calendar_import, calendar_set_day

pytestmark = pytest.mark.django_db
D = date
Status = Deadline.Status

# The official 2027 schedule is not published yet: a plausible one, made up for
# the test. 2027-01-30 (Sat) is a make-up working day before the Spring Festival.
SCHEDULE_2027 = """date,kind,name
2027-01-01,holiday,New Year's Day
2027-01-02,holiday,New Year's Day
2027-01-03,holiday,New Year's Day
2027-01-30,workday,Spring Festival
2027-02-05,holiday,Spring Festival
2027-02-06,holiday,Spring Festival
2027-02-07,holiday,Spring Festival
2027-02-08,holiday,Spring Festival
2027-02-09,holiday,Spring Festival
2027-02-10,holiday,Spring Festival
2027-02-11,holiday,Spring Festival
2027-02-20,workday,Spring Festival
"""


@pytest.fixture
def flow(draft, user):
    """flow(submit=..., accept=..., transfer=...) → a complaint taken that far on those days."""

    def make(*, submit, accept=None, transfer=None, contract="GZ-2025-0042"):
        complaint = services.complaint_submit(
            actor=user("sme-demo"), complaint=draft(contract_number=contract), on=submit
        )
        if accept:
            complaint = services.complaint_accept(
                actor=user("gd-intake"), complaint=complaint, on=accept
            )
        if transfer:
            complaint = services.complaint_transfer(
                actor=user("gd-intake"),
                complaint=complaint,
                department=Organisation.objects.get(name="广东省财政厅"),
                on=transfer,
            )
        return complaint

    return make


def clock(complaint, stage) -> Deadline:
    return complaint.deadlines.filter(stage=stage).last()


# --- review: paused while the SME supplies material -----------------------------------


def test_review_clock_pauses_and_resumes_with_the_paused_working_days_added(flow, user):
    complaint = flow(submit=D(2026, 9, 24))
    assert clock(complaint, "review").due_on == D(2026, 10, 15)
    assert chinese_calendar.find_workday(10, D(2026, 9, 24)) == D(2026, 10, 15)

    complaint = services.complaint_request_material(
        actor=user("gd-intake"), complaint=complaint, note="请补充验收单。", on=D(2026, 9, 29)
    )
    review = clock(complaint, "review")
    assert (review.status, review.paused_since) == (Status.PAUSED, D(2026, 9, 29))

    complaint = services.complaint_resubmit(
        actor=user("sme-demo"), complaint=complaint, note="已补充验收单。", on=D(2026, 10, 12)
    )
    review = clock(complaint, "review")
    # Paused working days 9-30, 10-8, 10-9, 10-10 (Sat, worked), 10-12: five.
    assert (review.status, review.paused_days) == (Status.OPEN, 5)
    # 2 working days used before the pause (9-28, 9-29), 8 left from 10-12: 10-22.
    assert review.due_on == D(2026, 10, 22)


def test_review_clock_is_frozen_met_or_breached_when_the_stage_ends(flow, user):
    on_time = flow(submit=D(2026, 9, 24), accept=D(2026, 10, 15), contract="A-1")
    review = clock(on_time, "review")
    assert (review.status, review.ended_on) == (Status.MET, D(2026, 10, 15))

    late = flow(submit=D(2026, 9, 24), accept=D(2026, 10, 16), contract="A-2")
    review = clock(late, "review")
    assert (review.status, review.ended_on) == (Status.BREACHED, D(2026, 10, 16))

    # A frozen clock does not move when the calendar changes later.
    calendar_set_day(actor=None, date=D(2026, 10, 14), kind="holiday", name="test")
    review.refresh_from_db()
    assert (review.status, review.due_on) == (Status.BREACHED, D(2026, 10, 15))


# --- transfer: 10 working days over the long holidays --------------------------------


@pytest.mark.parametrize(
    ("accepted", "due"),
    [
        (D(2025, 9, 30), D(2025, 10, 21)),  # 10-9, 10-10, 10-11 (Sat), 10-13..17, 10-20, 10-21
        (D(2026, 9, 30), D(2026, 10, 20)),  # 10-8, 10-9, 10-10 (Sat), 10-12..16, 10-19, 10-20
        (D(2026, 2, 10), D(2026, 3, 2)),  # 2-11..13, 2-14 (Sat), 2-24..27, 2-28 (Sat), 3-2
    ],
)
def test_transfer_clock_counts_ten_working_days(flow, accepted, due):
    complaint = flow(submit=D(2025, 9, 29) if accepted.year == 2025 else accepted, accept=accepted)
    transfer = clock(complaint, "transfer")
    assert (transfer.start_on, transfer.due_on, transfer.provisional) == (accepted, due, False)
    assert chinese_calendar.find_workday(10, accepted) == due
    assert "10 working days after" in transfer.rule


def test_a_return_keeps_the_original_transfer_clock(flow, user):
    complaint = flow(submit=D(2026, 9, 29), accept=D(2026, 9, 30), transfer=D(2026, 10, 9))
    assert clock(complaint, "transfer").status == Status.MET
    complaint = services.complaint_return(
        actor=user("gd-handler"),
        complaint=complaint,
        reason="不属于本部门职责。",
        on=D(2026, 10, 12),
    )
    transfers = complaint.deadlines.filter(stage="transfer")
    assert transfers.count() == 1  # no new clock
    transfer = transfers.get()
    assert (transfer.status, transfer.start_on, transfer.due_on) == (
        Status.OPEN,
        D(2026, 9, 30),
        D(2026, 10, 20),
    )
    assert not complaint.deadlines.filter(stage="handling").exists()
    assert complaint.events.last().action == "return"

    complaint = services.complaint_transfer(
        actor=user("gd-intake"),
        complaint=complaint,
        department=Organisation.objects.get(name="广东省财政厅"),
        on=D(2026, 10, 21),
    )
    assert clock(complaint, "transfer").status == Status.BREACHED


# --- handling: 30 calendar days, rolled forward (Civil Code Art. 203) ----------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2026, 9, 4), D(2026, 10, 8)),  # 10-4 is in the National Day holiday
        (D(2026, 1, 16), D(2026, 2, 24)),  # 2-15 is in the Spring Festival holiday
        (D(2026, 1, 15), D(2026, 2, 14)),  # 2-14 is a Saturday but a make-up working day
        (D(2026, 3, 3), D(2026, 4, 2)),  # a plain Thursday
    ],
)
def test_handling_clock_is_thirty_calendar_days_rolled_past_holidays(flow, received, due):
    complaint = flow(submit=D(2025, 12, 1), accept=D(2025, 12, 2), transfer=received)
    handling = clock(complaint, "handling")
    assert (handling.unit, handling.count, handling.due_on) == ("days", 30, due)


def test_extension_moves_the_due_date_up_to_ninety_days_after_receipt(flow, user):
    complaint = flow(submit=D(2026, 8, 31), accept=D(2026, 9, 1), transfer=D(2026, 9, 4))
    handler = user("gd-handler")
    complaint = services.complaint_debtor_response(
        actor=handler, complaint=complaint, confirmed_fen=100, disputed_fen=0
    )
    extend = {"actor": handler, "approved_by": "张处长", "reason": "需核对结算单。"}
    complaint = services.complaint_extend(complaint=complaint, total_days=60, **extend)
    assert clock(complaint, "handling").due_on == D(2026, 11, 3)
    complaint = services.complaint_extend(complaint=complaint, total_days=90, **extend)
    assert clock(complaint, "handling").due_on == D(2026, 12, 3)
    for too_long_or_short in (91, 90, 45):
        with pytest.raises(ValidationError) as refused:
            services.complaint_extend(complaint=complaint, total_days=too_long_or_short, **extend)
        assert "total_days" in refused.value.message_dict
    assert clock(complaint, "handling").due_on == D(2026, 12, 3)

    complaint = services.complaint_submit_result(
        actor=handler, complaint=complaint, kind="paid", text="已付清。", on=D(2026, 12, 4)
    )
    assert clock(complaint, "handling").status == Status.BREACHED


# --- calendar changes move open clocks (Alaveteli #7292) ----------------------------


def test_a_holiday_added_later_moves_open_deadlines_only(flow):
    complaint = flow(submit=D(2026, 9, 29), accept=D(2026, 9, 30))
    transfer, review = clock(complaint, "transfer"), clock(complaint, "review")
    review_due = review.due_on
    calendar_set_day(actor=None, date=D(2026, 10, 19), kind="holiday", name="extra day off")
    transfer.refresh_from_db()
    review.refresh_from_db()
    assert transfer.due_on == D(2026, 10, 21)
    assert (review.status, review.due_on) == (Status.MET, review_due)
    event = AuditEvent.objects.filter(verb="deadlines.recompute").last()
    assert event.payload["moved"] == 1
    assert event.payload["changed_years"] == [2026]


def test_a_clock_running_into_an_unknown_year_is_provisional_until_its_schedule_arrives(flow):
    # Accepted 2026-12-24: 12-25, 12-28..31, then 2027 (no schedule): 1-1 is a statutory
    # holiday, so 1-4..1-8: due 2027-01-08, provisional.
    accepted = flow(submit=D(2026, 12, 21), accept=D(2026, 12, 24), contract="P-1")
    transfer = clock(accepted, "transfer")
    assert (transfer.due_on, transfer.provisional) == (D(2027, 1, 8), True)
    assert "PROVISIONAL" in transfer.rule and "2027" in transfer.rule
    # Transferred 2026-12-31: 30 days is 2027-01-30, a Saturday: provisionally 2027-02-01.
    transferred = flow(
        submit=D(2026, 12, 21), accept=D(2026, 12, 22), transfer=D(2026, 12, 31), contract="P-2"
    )
    handling = clock(transferred, "handling")
    assert (handling.due_on, handling.provisional) == (D(2027, 2, 1), True)

    calendar_import(actor=None, year_rows=parse_schedule_csv(SCHEDULE_2027))

    transfer.refresh_from_db()
    handling.refresh_from_db()
    assert (transfer.due_on, transfer.provisional) == (D(2027, 1, 8), False)
    assert "PROVISIONAL" not in transfer.rule
    # 2027-01-30 is a make-up working day in the schedule: the clock ends on it.
    assert (handling.due_on, handling.provisional) == (D(2027, 1, 30), False)
    event = AuditEvent.objects.filter(verb="deadlines.recompute").last()
    assert (event.payload["changed_years"], event.payload["moved"]) == ([2027], 2)

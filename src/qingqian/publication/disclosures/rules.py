"""The disclosures' rules that write nothing: the tolerance, the cross-check,
lateness and the reminder dates."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from qingqian.core.workdays import Calendar
from qingqian.publication.models import DisclosureFlag

Kind = DisclosureFlag.Kind


def tolerance_fen(ledger_amount_fen: int, *, absolute_fen: int, percent: Decimal) -> int:
    """How far a disclosed amount may differ from the ledger's: the larger of the
    absolute tolerance and the percentage of the ledger amount (rounded down to a fen)."""
    share = (Decimal(ledger_amount_fen) * Decimal(percent) / 100).quantize(
        Decimal(1), rounding=ROUND_DOWN
    )
    return max(int(absolute_fen), int(share))


def cross_check(
    *,
    has_overdue: bool,
    declared_amount_fen: int,
    ledger_count: int,
    ledger_amount_fen: int,
    tolerance: int,
) -> str | None:
    """The flag a disclosure earns against the ledger at year end, or None.

    Saying "none" while the ledger holds overdue items is flagged whatever the
    amounts; otherwise an amount differing by more than the tolerance is."""
    if not has_overdue and ledger_count > 0:
        return Kind.NONE_BUT_OVERDUE
    if abs(declared_amount_fen - ledger_amount_fen) > tolerance:
        return Kind.AMOUNT_DIFFERS
    return None


def is_late(filed_on: date, due_on: date) -> bool:
    """Filed after the due date (a date in Asia/Shanghai; the due day itself is on time)."""
    return filed_on > due_on


def working_days_before(calendar: Calendar, day: date, n: int) -> date:
    """The n-th working day before `day` (n=0: `day`)."""
    for _ in range(n):
        day -= timedelta(days=1)
        while not calendar.is_workday(day):
            day -= timedelta(days=1)
    return day


def reminder_dates(
    calendar: Calendar, due_on: date, *, before: int, after: int
) -> tuple[date, date]:
    """When the bodies that have not filed are reminded: `before` working days
    before the due date, and `after` working days after it (Civil Code Art. 201)."""
    return working_days_before(calendar, due_on, before), calendar.add_working_days(due_on, after)

"""The pure rules: the tolerance, the cross-check, lateness, and the reminder
dates on the real 2025 and 2026 working-day calendars."""

from datetime import date
from decimal import Decimal

import pytest

from qingqian.core.selectors import load_calendar
from qingqian.publication.disclosures import rules
from qingqian.publication.models import DisclosureFlag

Kind = DisclosureFlag.Kind


@pytest.mark.parametrize(
    ("ledger", "absolute", "percent", "expected"),
    [
        (130_000_00, 0, Decimal("1"), 1_300_00),
        (130_000_00, 5_000_00, Decimal("1"), 5_000_00),
        (199, 0, Decimal("1"), 1),  # 1.99 fen, rounded down
        (0, 0, Decimal("1"), 0),
        (0, 100, Decimal("0"), 100),
    ],
)
def test_tolerance(ledger, absolute, percent, expected):
    assert rules.tolerance_fen(ledger, absolute_fen=absolute, percent=percent) == expected


@pytest.mark.parametrize(
    ("has", "declared", "count", "amount", "tolerance", "expected"),
    [
        (False, 0, 0, 0, 0, None),
        (False, 0, 1, 1, 10_000, Kind.NONE_BUT_OVERDUE),  # "none" is flagged whatever the sum
        (True, 100, 1, 100, 0, None),
        (True, 101, 1, 100, 1, None),
        (True, 102, 1, 100, 1, Kind.AMOUNT_DIFFERS),
        (True, 98, 1, 100, 1, Kind.AMOUNT_DIFFERS),
        (True, 500, 0, 0, 0, Kind.AMOUNT_DIFFERS),
    ],
)
def test_cross_check(has, declared, count, amount, tolerance, expected):
    got = rules.cross_check(
        has_overdue=has,
        declared_amount_fen=declared,
        ledger_count=count,
        ledger_amount_fen=amount,
        tolerance=tolerance,
    )
    assert got == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("due_on", "before", "after"),
    [
        # 2026: 10 working days before 31 March; 5 after, over Qingming (4-4..4-6).
        (date(2026, 3, 31), date(2026, 3, 17), date(2026, 4, 8)),
        # 2026: before 30 June, over the Dragon Boat Festival (6-19..6-21).
        (date(2026, 6, 30), date(2026, 6, 15), date(2026, 7, 7)),
        # 2025: Qingming 4-4..4-6 again.
        (date(2025, 3, 31), date(2025, 3, 17), date(2025, 4, 8)),
    ],
)
def test_reminder_dates_on_the_real_calendars(due_on, before, after):
    calendar = load_calendar()
    assert rules.reminder_dates(calendar, due_on, before=10, after=5) == (before, after)


def test_late_is_after_the_due_day():
    assert not rules.is_late(date(2026, 3, 31), date(2026, 3, 31))
    assert rules.is_late(date(2026, 4, 1), date(2026, 3, 31))

"""The administrator-edited one-year LPR table: seeded, read as a step function, audited edits."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qingqian.core import selectors
from qingqian.core.interest import InterestError, overdue_interest
from qingqian.core.models import AuditEvent, LprRate
from qingqian.reference.services.lpr import lpr_delete_rate, lpr_set_rate

pytestmark = pytest.mark.django_db
D = date


def _counts():
    return LprRate.objects.count(), AuditEvent.objects.count()


def test_seeded_table_matches_the_packaged_series():
    rates = selectors.lpr_rates()
    assert len(rates) == 13
    assert (rates[0].effective_from, rates[0].rate_percent) == (D(2019, 8, 20), Decimal("4.25"))
    assert all(rate.source for rate in rates)
    table = selectors.load_lpr_table()
    assert table.rate_on(D(2023, 9, 1)) == Decimal("3.45")
    assert table.rate_on(D(2026, 9, 30)) == Decimal("3.00")


def test_a_new_fixing_changes_the_rate_from_its_date():
    row = lpr_set_rate(
        actor=None, effective_from=D(2026, 10, 20), rate_percent="2.90", source="test"
    )
    assert row.rate_percent == Decimal("2.90")
    table = selectors.load_lpr_table()
    assert table.rate_on(D(2026, 10, 19)) == Decimal("3.00")
    assert table.rate_on(D(2026, 10, 20)) == Decimal("2.90")
    event = AuditEvent.objects.last()
    assert event.verb == "lpr.set"
    assert event.payload["rate_percent"] == "2.90" and event.payload["previous"] is None


def test_correcting_a_fixing_records_the_previous_value():
    lpr_set_rate(actor=None, effective_from=D(2025, 5, 20), rate_percent=Decimal("3.01"))
    assert AuditEvent.objects.last().payload["previous"]["rate_percent"] == "3.0000"
    assert selectors.load_lpr_table().rate_on(D(2025, 6, 1)) == Decimal("3.01")


def test_setting_the_same_value_writes_nothing():
    row = LprRate.objects.get(effective_from=D(2025, 5, 20))
    before = _counts()
    lpr_set_rate(
        actor=None, effective_from=row.effective_from, rate_percent="3.00", source=row.source
    )
    assert _counts() == before


@pytest.mark.parametrize(
    ("effective_from", "rate", "field"),
    [
        (D(2026, 10, 20), "0", "rate_percent"),
        (D(2026, 10, 20), "100", "rate_percent"),
        (D(2026, 10, 20), "-1", "rate_percent"),
        (D(2026, 10, 20), "abc", "rate_percent"),
        (D(2026, 10, 20), 3.1, "rate_percent"),  # a float is refused
        (D(2026, 10, 20), "3.12345", "rate_percent"),
        (D(2019, 8, 19), "4.31", "effective_from"),
        ("2026-10-20", "3", "effective_from"),
    ],
)
def test_bad_fixings_are_refused_and_nothing_written(effective_from, rate, field):
    before = _counts()
    with pytest.raises(ValidationError) as info:
        lpr_set_rate(actor=None, effective_from=effective_from, rate_percent=rate)
    assert field in info.value.message_dict
    assert _counts() == before


def test_delete_a_fixing():
    lpr_delete_rate(actor=None, effective_from=D(2025, 5, 20))
    assert selectors.load_lpr_table().rate_on(D(2025, 6, 1)) == Decimal("3.10")
    event = AuditEvent.objects.last()
    assert (event.verb, event.payload["effective_from"]) == ("lpr.delete", "2025-05-20")


def test_delete_missing_fixing_is_an_error():
    with pytest.raises(ValidationError, match="no LPR fixing"):
        lpr_delete_rate(actor=None, effective_from=D(2025, 5, 21))


def test_only_administrators_edit_the_lpr(user):
    with pytest.raises(PermissionDenied):
        lpr_set_rate(actor=user("gd-handler"), effective_from=D(2026, 10, 20), rate_percent="3")


def test_interest_uses_the_database_table():
    lpr_set_rate(actor=None, effective_from=D(2023, 8, 21), rate_percent="5")
    result = overdue_interest(
        100_000_00,
        D(2024, 6, 30),
        [],
        D(2024, 7, 10),
        Decimal("2.5"),
        D(2023, 9, 1),
        lpr_table=selectors.load_lpr_table(),
    )
    # 10,000,000 fen x 5% x 10 / 365 = 13,698.63 fen
    assert result.total_fen == 13_699


def test_signing_before_the_first_fixing_is_an_error():
    with pytest.raises(InterestError, match="2019-08-20"):
        overdue_interest(
            100,
            D(2024, 6, 30),
            [],
            D(2024, 7, 10),
            Decimal("5"),
            D(2019, 1, 1),
            lpr_table=selectors.load_lpr_table(),
        )

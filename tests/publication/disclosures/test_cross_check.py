"""The ledger at the end of 2025 and the cross-check of what bodies disclose
in 2026 (Regulations 2025 Art. 18), on the real 2025/2026 calendars."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from qingqian.notifications.models import Notification
from qingqian.publication.disclosures import selectors, services
from qingqian.publication.models import DisclosureFlag

LEDGER_FEN = 130_000_00  # A 70,000 + B 50,000 + E 10,000
ON_TIME = date(2026, 5, 20)


def file(rep, period, *, on=ON_TIME, **figures):
    values = {
        "has_overdue": True,
        "overdue_count": 3,
        "overdue_amount_fen": LEDGER_FEN,
        **figures,
    }
    return services.disclosure_file(
        actor=rep, period=period, enterprise=rep.enterprise, on=on, **values
    )


def test_the_ledger_at_the_year_end_counts_what_was_overdue_and_unpaid_that_day(ledger_2025, body):
    at = selectors.ledger_at_year_end(enterprise_id=body.pk, year=2025)
    assert (at.count, at.amount_fen) == (3, LEDGER_FEN)
    behind = selectors.overdue_items_at(date(2025, 12, 31)).filter(debtor=body)
    assert {i.contract_number: i.year_end_outstanding_fen for i in behind} == {
        "YE-A": 70_000_00,
        "YE-B": 50_000_00,
        "YE-E": 10_000_00,
    }
    # The year before, nothing was due yet; grouped by debtor, the same figures.
    assert selectors.ledger_at_year_end(enterprise_id=body.pk, year=2024).count == 0
    grouped = selectors.ledger_at_year_end_by_debtor(enterprise_ids=[body.pk], year=2025)
    assert grouped[body.pk] == at


def test_a_disclosure_matching_the_ledger_raises_no_flag(ledger_2025, rep, enterprise_2025):
    version = file(rep, enterprise_2025)
    assert (version.prefilled_count, version.prefilled_amount_fen) == (3, LEDGER_FEN)
    assert version.count_reason == version.amount_reason == ""
    assert not DisclosureFlag.objects.exists()
    assert not version.disclosure.filed_late


def test_saying_none_against_the_ledger_is_flagged_with_the_items_behind_it(
    ledger_2025, rep, enterprise_2025, user
):
    with pytest.raises(ValidationError) as refused:
        file(rep, enterprise_2025, has_overdue=False, overdue_count=0, overdue_amount_fen=0)
    assert set(refused.value.message_dict) == {"count_reason", "amount_reason"}
    version = file(
        rep,
        enterprise_2025,
        has_overdue=False,
        overdue_count=0,
        overdue_amount_fen=0,
        count_reason="已于年后结清",
        amount_reason="已于年后结清",
    )
    flag = version.flag
    assert flag.kind == DisclosureFlag.Kind.NONE_BUT_OVERDUE
    assert (flag.ledger_count, flag.ledger_amount_fen, flag.declared_amount_fen) == (
        3,
        LEDGER_FEN,
        0,
    )
    behind = {row.item.contract_number: row.outstanding_fen for row in selectors.flag_items(flag)}
    assert behind == {"YE-A": 70_000_00, "YE-B": 50_000_00, "YE-E": 10_000_00}
    # The supervising authority (Guangdong) hears of it and sees it; Jiangsu does not.
    assert Notification.objects.filter(recipient=user("gd-intake"), url__endswith=f"/{flag.pk}/")
    assert selectors.flag_get(actor=user("gd-intake"), pk=flag.pk) == flag
    assert selectors.flag_get(actor=user("supervisor"), pk=flag.pk) == flag
    with pytest.raises(Http404):
        selectors.flag_get(actor=user("js-intake"), pk=flag.pk)
    # The body sees its disclosure, not the flag; a handler sees neither.
    assert selectors.disclosure_get(actor=rep, pk=flag.disclosure_id)
    assert not selectors.flags(actor=rep).exists()
    assert not selectors.flags(actor=user("gd-handler")).exists()


@pytest.mark.parametrize(
    ("declared_yuan", "flagged"),
    [
        (130_000, False),
        (128_700, False),  # 1,300 below: exactly 1% of the ledger, within the tolerance
        (128_699, True),
        (131_300, False),
        (131_300.01, True),
    ],
)
def test_an_amount_beyond_the_tolerance_is_flagged(
    ledger_2025, rep, enterprise_2025, declared_yuan, flagged
):
    assert enterprise_2025.tolerance_percent == Decimal("1.00")
    declared = round(declared_yuan * 100)
    version = file(rep, enterprise_2025, overdue_amount_fen=declared, amount_reason="对账差异")
    assert DisclosureFlag.objects.filter(version=version).exists() == flagged
    if flagged:
        assert version.flag.kind == DisclosureFlag.Kind.AMOUNT_DIFFERS
        assert version.flag.tolerance_applied_fen == 1_300_00


def test_the_national_administrators_tolerance_decides(ledger_2025, rep, enterprise_2025, user):
    services.disclosure_period_save(
        actor=user("admin"), period=enterprise_2025, tolerance_fen=5_000_00
    )
    version = file(rep, enterprise_2025, overdue_amount_fen=125_000_00, amount_reason="差异")
    assert not DisclosureFlag.objects.filter(version=version).exists()
    version = file(
        rep,
        enterprise_2025,
        overdue_amount_fen=124_999_99,
        amount_reason="差异",
        correction_reason="更正金额",
    )
    assert version.flag.tolerance_applied_fen == 5_000_00


def test_a_body_with_no_overdue_items_may_say_none(rep, enterprise_2025):
    version = file(rep, enterprise_2025, has_overdue=False, overdue_count=0, overdue_amount_fen=0)
    assert version.prefilled_count == 0
    assert not DisclosureFlag.objects.exists()


def test_claiming_overdue_items_the_ledger_lacks_beyond_the_tolerance_is_flagged(
    rep, enterprise_2025
):
    version = file(
        rep,
        enterprise_2025,
        overdue_count=2,
        overdue_amount_fen=1_00,
        count_reason="台账未录入",
        amount_reason="台账未录入",
    )
    assert version.flag.kind == DisclosureFlag.Kind.AMOUNT_DIFFERS
    assert version.flag.ledger_count == 0
    assert not version.flag.items.exists()

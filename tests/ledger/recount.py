"""Recount the maintained figures from the rows, independently of the services."""

from collections import defaultdict

from django.db.models import Sum

from qingqian.ledger.models import LedgerItem, LedgerTotal


def totals_from_items() -> dict:
    sums = defaultdict(lambda: [0, 0, 0, 0, 0])
    for item in LedgerItem.objects.all():
        category = "disputed" if item.disputed_fen else "undisputed"
        key = (item.region_code, item.debtor_type, item.status, category)
        row = sums[key]
        row[0] += 1
        row[1] += item.owed_fen
        row[2] += item.paid_fen
        row[3] += item.disputed_fen
        row[4] += item.written_off_fen
    return {key: row for key, row in sums.items()}


def totals_from_summary() -> dict:
    return {
        (t.region_code, t.debtor_type, t.status, t.category): [
            t.items,
            t.owed_fen,
            t.paid_fen,
            t.disputed_fen,
            t.written_off_fen,
        ]
        for t in LedgerTotal.objects.all()
        if (t.items, t.owed_fen, t.paid_fen, t.disputed_fen, t.written_off_fen) != (0, 0, 0, 0, 0)
    }


def assert_ledger_consistent() -> None:
    assert totals_from_summary() == totals_from_items()
    for item in LedgerItem.objects.all():
        paid = item.payments.aggregate(total=Sum("amount_fen"))["total"] or 0
        assert item.paid_fen == paid, item
        assert 0 <= item.paid_fen <= item.owed_fen
        assert item.written_off_fen >= 0
        assert 0 <= item.disputed_fen <= item.owed_fen - item.paid_fen - item.written_off_fen
    assert not [t for t in LedgerTotal.objects.all() if t.items < 0]

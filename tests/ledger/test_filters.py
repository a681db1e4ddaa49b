"""The ledger list's one filter definition: what the pages and the API parse it to."""

from django.http import QueryDict

from qingqian.ledger.filters import LedgerItemFilter
from qingqian.ledger.selectors import LedgerFilter


def parsed(query: str) -> LedgerFilter:
    return LedgerItemFilter(QueryDict(query)).ledger_filter()


def test_every_field_becomes_the_selectors_filter():
    query = (
        "region=4401&debtor_type=large&status=partly_paid&category=disputed&age=31-90"
        "&min_owed=1,000.50&max_owed=2000&q=HT-1&debtor=7&creditor=8"
    )
    assert parsed(query) == LedgerFilter(
        region="4401",
        debtor_type="large",
        status="partly_paid",
        category="disputed",
        age="31-90",
        min_owed_fen=1000_50,
        max_owed_fen=2000_00,
        search="HT-1",
        debtor_id=7,
        creditor_id=8,
    )


def test_blank_unbound_or_invalid_filters_select_everything():
    assert parsed("status=&region=&q=") == LedgerFilter()
    assert LedgerItemFilter(None).ledger_filter() == LedgerFilter()
    invalid = LedgerItemFilter(QueryDict("status=paid&region=4&min_owed=abc&debtor=0"))
    assert invalid.ledger_filter() == LedgerFilter()
    assert set(invalid.errors) == {"status", "region", "min_owed", "debtor"}

"""The demo's disclosure: filed once by debtor-demo; flagged to Guangdong when
the ledger contradicts it."""

from datetime import date

from qingqian.demo_disclosures import seed_demo_disclosures
from qingqian.publication.disclosures import selectors
from qingqian.publication.models import Disclosure


def test_the_demo_disclosure_is_filed_once_and_flagged(make_item, debtor, user):
    make_item(debtor=debtor, contract_number="DEMO-YE", due_on=date(2025, 11, 30))
    assert seed_demo_disclosures() == 1
    assert seed_demo_disclosures() == 0
    disclosure = Disclosure.objects.get(enterprise=debtor)
    assert disclosure.first_filed_on == date(2026, 5, 20) and not disclosure.filed_late
    [flag] = selectors.flags(actor=user("gd-intake"))
    assert flag.kind == "none_overdue"
    assert "DEMO-YE" in [row.item.contract_number for row in selectors.flag_items(flag)]

import pytest

from qingqian.demo_ledger import RETURNS, seed_demo_ledger
from qingqian.ledger.models import LedgerImport, LedgerItem, RepaymentPlan, Status
from tests.ledger.recount import assert_ledger_consistent


@pytest.mark.django_db
def test_the_demo_ledger_is_imported_once_with_some_acts(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert seed_demo_ledger() == sum(rows for _authority, _regions, rows in RETURNS)
    assert seed_demo_ledger() == 0
    assert list(LedgerImport.objects.values_list("state", flat=True)) == ["done", "done"]
    statuses = set(LedgerItem.objects.values_list("status", flat=True))
    assert {Status.OUTSTANDING, Status.PARTLY_PAID, Status.CLEARED, Status.LEGAL_ROUTE} <= statuses
    assert RepaymentPlan.objects.filter(state="active").count() == 1
    assert LedgerItem.objects.filter(disputed_fen__gt=0).exists()
    assert_ledger_consistent()

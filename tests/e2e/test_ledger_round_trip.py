"""The ledger round trip in the browser: a provincial official downloads the
ledger, raises one amount paid, imports the file and sees exactly one item
changed, recorded as a payment."""

import csv
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from qingqian.accounts.models import Organisation, User
from qingqian.demo import demo_uscc
from qingqian.ledger import services
from qingqian.ledger.columns import TEMPLATE_HEADER
from qingqian.ledger.models import LedgerItem
from qingqian.parties.models import Enterprise
from tests.e2e.test_ledger import upload, uploads_in_tmp  # noqa: F401  (a fixture)

PAID = TEMPLATE_HEADER.index("已付金额（元） / amount_paid")
OWED = TEMPLATE_HEADER.index("欠款金额（元） / amount_owed")
DISPUTED = TEMPLATE_HEADER.index("有分歧金额（元） / disputed_amount")
CONTRACT = TEMPLATE_HEADER.index("合同编号 / contract_number")
RAISE = Decimal("100.00")


@pytest.fixture
def guangdong_ledger(site):
    """Three items of Guangdong's ledger: paid in part, disputed in part, unpaid."""
    official = User.objects.get(username="gd-intake")
    debtor = Enterprise.objects.get(uscc=demo_uscc("440104", 4))
    creditor = Enterprise.objects.get(uscc=demo_uscc("440106", 1))
    for number, paid, disputed in [
        ("YD-1", 200_000_00, 0),
        ("YD-2", 0, 150_000_00),
        ("YD-3", 0, 0),
    ]:
        services.ledger_item_create(
            actor=official,
            owner=Organisation.objects.get(name="广东省中小企业主管部门"),
            debtor=debtor,
            creditor=creditor,
            contract_number=number,
            contract_signed_on=date(2025, 3, 1),
            subject="works",
            due_on=date(2025, 6, 30),
            owed_fen=500_000_00,
            paid_fen=paid,
            disputed_fen=disputed,
        )


def raise_one_amount_paid(path) -> str:
    """Adds RAISE to the amount paid of the first row with room for it; its contract."""
    with path.open(encoding="utf-8-sig", newline="") as source:
        header, *rows = list(csv.reader(source))
    row = next(
        row
        for row in rows
        if Decimal(row[OWED]) - Decimal(row[PAID] or 0) - Decimal(row[DISPUTED] or 0) > RAISE
    )
    row[PAID] = str(Decimal(row[PAID] or 0) + RAISE)
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows([header, *rows])
    return row[CONTRACT]


def test_an_edited_export_imported_back_changes_one_item(
    page_for,
    site,
    shoot,
    tmp_path,
    run_worker,
    uploads_in_tmp,  # noqa: F811
    guangdong_ledger,
):
    page = page_for("gd-intake")
    page.goto(f"{site}/ledger/")
    with page.expect_download() as download:
        page.get_by_test_id("csv").click()
    export = tmp_path / "台账.csv"
    download.value.save_as(export)
    items = LedgerItem.objects.filter(province_code="440000")
    before = dict(items.values_list("contract_number", "paid_fen"))
    contract = raise_one_amount_paid(export)

    upload(page, site, export, run_worker)
    expect(page.get_by_test_id("import-state")).to_have_attribute("data-state", "done")
    expect(page.get_by_test_id("import-updated")).to_have_text("1")
    expect(page.get_by_test_id("import-created")).to_have_text("0")
    expect(page.get_by_test_id("import-unchanged")).to_have_text(str(len(before) - 1))
    shoot(page, "ledger-6-round-trip")

    after = dict(items.values_list("contract_number", "paid_fen"))
    assert {number for number in before if before[number] != after[number]} == {contract}
    assert after[contract] - before[contract] == 100_00

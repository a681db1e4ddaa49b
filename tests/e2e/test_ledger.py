"""The ledger in the browser: gd-intake downloads the import template and
imports it, sees a bad return refused with its error report, records a payment
and sees the totals move. The import runs in the real task worker while the
page polls its progress."""

import csv
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from qingqian.ledger.columns import TEMPLATE_HEADER
from tests.e2e.conftest import take_action

AUTHORITY = "广东省中小企业主管部门"


@pytest.fixture
def uploads_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def bad_return(path):
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(TEMPLATE_HEADER)
        writer.writerow(
            ["114401000070000031", "示例市交通运输局", "机关", "440100", "91440101MA59PXJ1XG",
             "示例科技有限公司", "HT-BAD-1", "2024-01-15", "服务", "2024-03-15",
             "-100", "0", "0", ""]
        )  # fmt: skip


def upload(page, site, path, run_worker):
    page.goto(f"{site}/ledger/imports/")
    page.set_input_files("#id_file", str(path))
    page.select_option("#id_owner", label=AUTHORITY)
    page.get_by_test_id("upload").click()
    expect(page.get_by_test_id("import-state")).to_have_attribute("data-state", "queued")
    run_worker()  # the page polls and reloads when the import has finished


def test_import_refusal_payment_and_totals(
    page_for, site, shoot, tmp_path, run_worker, uploads_in_tmp
):
    page = page_for("gd-intake")
    page.goto(f"{site}/ledger/imports/")
    with page.expect_download() as download:
        page.get_by_test_id("template-xlsx").click()
    template = tmp_path / "台账模板.xlsx"
    download.value.save_as(template)
    shoot(page, "ledger-1-import")

    upload(page, site, template, run_worker)
    expect(page.get_by_test_id("import-state")).to_have_attribute("data-state", "done")
    expect(page.get_by_test_id("import-created")).to_have_text("1")
    # The reload is announced: the status region says how the import ended.
    expect(page.get_by_test_id("import-outcome")).to_contain_text("导入已完成：读取 1 行")
    shoot(page, "ledger-2-imported")

    bad = tmp_path / "错误台账.csv"
    bad_return(bad)
    upload(page, site, bad, run_worker)
    expect(page.get_by_test_id("import-state")).to_have_attribute("data-state", "refused")
    expect(page.get_by_test_id("import-errors")).to_contain_text("amount_owed")
    refused = page.get_by_test_id("import-refused").locator("h2").inner_text()
    expect(page.get_by_test_id("import-outcome")).to_have_text(refused)
    with page.expect_download() as report:
        page.get_by_test_id("error-report").click()
    text = Path(report.value.path()).read_text(encoding="utf-8-sig")
    assert "HT-BAD-1" not in text and "-100" in text and "amount_owed" in text
    shoot(page, "ledger-3-refused")

    page.goto(f"{site}/ledger/")
    expect(page.get_by_test_id("total-items")).to_have_text("1")
    before = page.get_by_test_id("total-outstanding").inner_text()
    page.get_by_role("link", name="HT-2024-001").click()

    def pay(panel):
        panel.locator('input[name="payment-paid_on"]').fill(timezone.localdate().isoformat())
        panel.locator('input[name="payment-amount_fen"]').fill("30,000.00")
        panel.locator('select[name="payment-method"]').select_option("transfer")

    take_action(page, "payment", pay)
    expect(page.get_by_test_id("paid")).to_contain_text("55,000.00")  # 25,000 before + 30,000
    expect(page.get_by_test_id("outstanding")).to_contain_text("70,000.00")
    shoot(page, "ledger-4-item")
    page.goto(f"{site}/ledger/")
    expect(page.get_by_test_id("total-outstanding")).not_to_have_text(before)
    expect(page.get_by_test_id("total-outstanding")).to_contain_text("70,000.00")
    shoot(page, "ledger-5-totals")

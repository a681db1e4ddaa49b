"""The complaint form in the browser: one submit shows every problem at once,
the file chosen is kept on the draft and listed, and the corrected form is
submitted without choosing the file again. Assertions use ids and data."""

import pytest
from playwright.sync_api import expect

from qingqian.demo import demo_uscc
from tests.files import PDF


@pytest.fixture
def evidence_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_every_error_at_once_and_the_file_kept(page_for, site, shoot, tmp_path, evidence_in_tmp):
    contract = tmp_path / "采购合同.pdf"
    contract.write_bytes(PDF)
    fake = tmp_path / "发票.pdf"
    fake.write_bytes(b"not a pdf at all\n")
    page = page_for("sme-demo")
    page.goto(f"{site}/complaints/new/")
    page.fill("#id_debtor_name", "广州市某某区住房和城乡建设局")
    page.fill("#id_debtor_uscc", "123")  # a wrong credit code
    page.select_option("#id_debtor_type", "agency")
    page.select_option("#id_debtor_region_code", label="广东省")
    page.select_option("#id_debtor_region_code-city", label="广州市")
    page.fill("#id_contract_number", "GZ-2025-0888")
    page.fill("#id_contract_signed_on", "2025-03-01")
    page.select_option("#id_subject", "works")
    page.fill("#id_delivered_on", "2025-06-30")
    page.fill("#id_amount_owed", "12.345")  # three decimals
    page.fill("#id_facts_text", "2025年6月30日竣工验收，至今未付工程款。")
    page.set_input_files("#id_evidence", [str(contract), str(fake)])
    page.get_by_test_id("submit").click()  # no request, no undertaking either

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    for field in ("amount_owed", "debtor_uscc", "evidence", "request_text", "undertaking"):
        expect(summary.locator(f'a[href="#id_{field}"]')).to_have_count(1)
    attached = page.get_by_test_id("attached-files")
    expect(attached).to_contain_text("采购合同.pdf")
    expect(attached).not_to_contain_text("发票.pdf")
    expect(page.get_by_test_id("draft-kept")).to_be_visible()
    shoot(page, "complaint-form-all-errors")

    page.fill("#id_debtor_name", "广东粤海城建集团有限公司")
    page.fill("#id_debtor_uscc", demo_uscc("440104", 4))
    page.select_option("#id_debtor_type", "large")
    page.fill("#id_amount_owed", "12.34")
    page.fill("#id_request_text", "请求支付拖欠工程款及逾期利息。")
    page.check("#id_undertaking")
    page.get_by_test_id("submit").click()  # the file is not chosen again
    expect(page.get_by_test_id("state")).to_have_attribute("data-state", "submitted")
    expect(page.get_by_test_id("evidence")).to_contain_text("采购合同.pdf")

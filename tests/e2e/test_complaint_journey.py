"""The whole complaint journey in the browser, with the demo accounts:
sme-demo files a complaint with an evidence file → gd-intake accepts and
transfers it to 广东省财政厅 → gd-handler records the debtor's response and
submits a result → gd-intake approves → sme-demo opens the result notice and
gives feedback. Assertions use ids, data attributes and data, not UI text."""

import re

import pytest
from playwright.sync_api import expect

from qingqian.demo import demo_uscc
from tests.e2e.conftest import take_action
from tests.files import PDF
from tests.pdfs import pdf_text

TRACKING = re.compile(r"QQ-\d{4}-440000-\d{6}")


@pytest.fixture
def evidence_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def expect_state(page, state):
    expect(page.get_by_test_id("state")).to_have_attribute("data-state", state)


def file_the_complaint(page, site, shoot, tmp_path):
    evidence = tmp_path / "采购合同.pdf"
    evidence.write_bytes(PDF)
    page.goto(f"{site}/complaints/new/")
    page.fill("#id_debtor_name", "广东粤海城建集团有限公司")
    page.fill("#id_debtor_uscc", demo_uscc("440104", 4))
    page.select_option("#id_debtor_type", "large")
    page.select_option("#id_debtor_region_code", label="广东省")
    page.select_option("#id_debtor_region_code-city", label="广州市")
    page.fill("#id_contract_number", "GZ-2025-0777")
    page.fill("#id_contract_signed_on", "2025-03-01")
    page.select_option("#id_subject", "goods")
    page.fill("#id_delivered_on", "2025-06-30")
    page.fill("#id_payment_due_on", "2025-08-29")
    page.fill("#id_amount_owed", "128,000.00")
    page.fill("#id_amount_paid", "28,000")
    page.fill("#id_request_text", "请求支付拖欠货款100000元及逾期利息。")
    page.fill("#id_facts_text", "2025年3月签订设备采购合同，6月30日交货验收，至今未付余款。")
    page.check('input[name="sme_notified_at_signing"][value="yes"]')
    page.set_input_files("#id_evidence", str(evidence))
    page.check("#id_undertaking")
    shoot(page, "journey-1-intake-form")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("submitted-panel")).to_be_visible()
    expect_state(page, "submitted")
    tracking = page.get_by_test_id("tracking-number").inner_text().strip()
    assert TRACKING.fullmatch(tracking), tracking
    expect(page.get_by_test_id("amount-outstanding")).to_contain_text("100,000.00")
    expect(page.get_by_test_id("evidence")).to_contain_text("采购合同.pdf")
    shoot(page, "journey-2-submitted")
    return page.url.split("?")[0], tracking


def test_the_complaint_journey(page_for, site, shoot, tmp_path, evidence_in_tmp):
    sme = page_for("sme-demo")
    detail, tracking = file_the_complaint(sme, site, shoot, tmp_path)

    intake = page_for("gd-intake")
    intake.goto(f"{site}/complaints/?state=submitted")
    expect(intake.locator("table")).to_contain_text(tracking)
    shoot(intake, "journey-3-intake-list")
    intake.goto(detail)
    expect(intake.get_by_test_id("evidence")).to_contain_text("采购合同.pdf")
    take_action(intake, "accept")
    expect_state(intake, "accepted")
    take_action(
        intake,
        "transfer",
        lambda panel: panel.locator("select").select_option(label="广东省财政厅"),
    )
    expect_state(intake, "transferred")
    expect(intake.get_by_test_id("handling-department")).to_contain_text("广东省财政厅")
    shoot(intake, "journey-4-transferred")

    handler = page_for("gd-handler")
    handler.goto(detail)
    take_action(handler, "debtor-response", _debtor_response)
    expect_state(handler, "in_handling")
    shoot(handler, "journey-5-in-handling")
    take_action(handler, "submit-result", _result)
    expect_state(handler, "result_review")

    intake.goto(detail)
    expect(intake.get_by_test_id("result")).to_contain_text("已于2026年")
    take_action(intake, "approve-result")
    expect_state(intake, "resolved")
    shoot(intake, "journey-6-approved")

    sme.goto(detail)
    expect_state(sme, "resolved")
    notice_link = sme.get_by_test_id("result-notice")
    expect(notice_link).to_be_visible()
    _check_result_notice(sme, site, notice_link.get_attribute("href"))
    shoot(sme, "journey-7-resolved")
    take_action(sme, "feedback", _feedback)
    expect_state(sme, "closed")
    # Filed in one act (submitted with its file), accepted, transferred, the
    # debtor's response, the result, its approval, the feedback.
    expect(sme.get_by_test_id("history").locator("li")).to_have_count(7)
    shoot(sme, "journey-8-closed")


def _debtor_response(panel):
    panel.locator('input[name="debtor-response-confirmed"]').fill("100,000")
    panel.locator('input[name="debtor-response-disputed"]').fill("0")
    panel.locator('textarea[name="debtor-response-note"]').fill("被投诉人确认欠款，承诺本月支付。")


def _result(panel):
    panel.locator('select[name="submit-result-kind"]').select_option("paid")
    panel.locator('textarea[name="submit-result-text"]').fill("已于2026年全额支付欠款100000元。")


def _feedback(panel):
    panel.locator('input[name="feedback-satisfied"][value="yes"]').check()
    panel.locator('textarea[name="feedback-comment"]').fill("款项已收到，感谢。")


def _check_result_notice(page, site, href):
    response = page.request.get(f"{site}{href}")
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/pdf")
    assert response.body()[:5] == b"%PDF-"
    # The handling department signs it and copies the accepting department.
    signed = re.compile(r"广东省财政厅\d{4}年\d{1,2}月\d{1,2}日抄送：广东省中小企业主管部门")
    assert signed.search(pdf_text(response.body()))

"""Receivable confirmation in the browser: an SME sends a request, the debtor
representative partly confirms it on the platform, and the SME's ledger item
shows the undisputed / disputed split."""

from playwright.sync_api import expect

from qingqian.parties.models import Enterprise
from qingqian.services.models import ConfirmationRequest

CONTRACT = "E2E-QR-001"


def test_a_request_partly_confirmed_shows_its_split_in_the_ledger(page_for, site, shoot):
    debtor = Enterprise.objects.get(name="广东粤海城建集团有限公司")

    page = page_for("sme-demo")
    page.goto(f"{site}/services/confirmations/")
    page.get_by_test_id("confirmation-new").click()
    page.fill("#id_debtor_uscc", debtor.uscc)
    page.fill("#id_debtor_name", debtor.name)
    page.select_option("#id_debtor_type", "large")
    page.select_option("#id_region_code", label="广东省")
    page.select_option("#id_region_code-city", label="广州市")
    page.fill("#id_contract_number", CONTRACT)
    page.fill("#id_contract_signed_on", "2025-03-01")
    page.select_option("#id_subject", "works")
    page.fill("#id_due_on", "2025-06-30")
    page.fill("#id_amount", "100,000.00")
    page.fill("#id_note", "二期工程进度款，请核对。")
    shoot(page, "confirmations-1-request")
    page.get_by_test_id("confirmation-send").click()
    expect(page.get_by_test_id("confirmation-state")).to_have_attribute("data-state", "requested")
    expect(page.get_by_test_id("request-pdf")).to_be_visible()
    request = ConfirmationRequest.objects.get(contract_number=CONTRACT)

    page = page_for("debtor-demo")
    page.goto(f"{site}/services/confirmations/")
    page.get_by_role("link", name=CONTRACT).click()
    page.fill("#id_confirmed", "70,000.00")
    page.fill("#id_disputed", "30,000.00")
    page.fill("#id_reason", "其中质保金部分尚未到期。")
    shoot(page, "confirmations-2-answer")
    page.get_by_test_id("answer-send").click()
    expect(page.get_by_test_id("confirmation-state")).to_have_attribute(
        "data-state", "partly_confirmed"
    )
    expect(page.get_by_test_id("disputed")).to_contain_text("30,000.00")

    page = page_for("sme-demo")
    page.goto(f"{site}/services/confirmations/{request.pk}/")
    page.get_by_test_id("ledger-item").click()
    expect(page.get_by_test_id("disputed")).to_contain_text("30,000.00")
    expect(page.get_by_test_id("undisputed")).to_contain_text("70,000.00")
    shoot(page, "confirmations-3-ledger-split")

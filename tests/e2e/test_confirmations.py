"""Receivable confirmation in the browser: an SME sends a request, the debtor
representative partly confirms it on the platform, and the SME's ledger item
shows the undisputed / disputed split."""

from datetime import date

from playwright.sync_api import expect

from qingqian.parties.models import Enterprise
from qingqian.services.confirmations.links import link_token
from qingqian.services.models import ConfirmationRequest
from tests.e2e.test_accessibility import at_every_width, readable

CONTRACT = "E2E-QR-001"


def test_a_request_partly_confirmed_shows_its_split_in_the_ledger(page_for, site, shoot):
    debtor = Enterprise.objects.get(name="广东粤海城建集团有限公司")

    page = page_for("sme-demo")
    page.goto(f"{site}/services/confirmations/")
    assert not (found := at_every_width(page, "confirmations:list")), readable(found)
    page.get_by_test_id("confirmation-new").click()
    assert not (found := at_every_width(page, "confirmations:new")), readable(found)
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
    assert not (found := at_every_width(page, "confirmations:detail")), readable(found)
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


def test_the_one_time_link_page_is_accessible(page_for, site):
    from tests.services.confirm.requests import send

    debtor = Enterprise.objects.get(name="广东粤海城建集团有限公司")
    request = send(debtor=debtor, contract_number="E2E-QR-LINK", on=date.today())
    page = page_for("gd-intake")  # any browser: the link needs no sign-in
    page.goto(f"{site}/public/confirm/{link_token(request)}/")
    expect(page.get_by_test_id("link-answer-form")).to_be_visible()
    assert not (found := at_every_width(page, "confirmations_public:answer")), readable(found)

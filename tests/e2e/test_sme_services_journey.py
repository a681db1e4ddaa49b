"""The services for SMEs in one journey: a visitor computes overdue interest,
signs up as an SME and is bound; the SME writes a demand letter from the same
figures, asks its debtor to confirm the amount, the debtor's representative
partly confirms and the ledger shows the split; the SME asks for legal aid and
the legal service answers."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from qingqian.parties.models import Enterprise
from qingqian.services.models import AidRequest
from tests.e2e.conftest import sign_in
from tests.e2e.test_signup_journey import console_senders, sign_up, verify_and_send_the_licence
from tests.pdfs import first_page_image, ink_share, pdf_fonts, pdf_text

__all__ = ["console_senders"]  # a fixture this test uses

SME = "广州新禾包装有限公司"
DEBTOR = "广东粤海城建集团有限公司"
CONTRACT = "XH-2025-031"
QUESTION = "对方只确认了部分金额，有分歧的部分如何处理？"
ANSWER = "无分歧部分应按期支付；有分歧部分可通过协商、调解或诉讼解决，请保留验收记录。"


FIGURES = (
    "principal=100%2C000.00&due=2025-03-31&end=2025-06-30&payment=2025-04-30%3A40000"
    "&signed=2025-01-15"
)


def compute_interest(page, site, shoot) -> None:
    """100,000.00 due 2025-03-31, 40,000.00 paid 2025-04-30, as of 2025-06-30:
    30 days on 100,000 (1,500.00) + 61 days on 60,000 (1,830.00) at 0.05% a day."""
    page.goto(site)
    page.get_by_test_id("nav-tools").click()
    page.get_by_role("link", name="逾期利息").first.click()
    page.fill("#id_principal", "100,000.00")
    page.fill("#id_due", "2025-03-31")
    page.fill("#id_end", "2025-06-30")
    page.fill("#id_payment", "2025-04-30:40000")
    page.get_by_test_id("calculate").click()
    expect(page.get_by_test_id("total")).to_have_text("¥3,330.00")
    expect(page.get_by_test_id("result")).to_contain_text("万分之五")
    shoot(page, "services-1-interest")


def bind(browser, site, shoot) -> None:
    officer = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(officer, site, "gd-intake")
    officer.get_by_test_id("nav-signups").click()
    officer.get_by_role("link", name=SME).click()
    officer.get_by_test_id("approve").click()
    expect(officer.get_by_test_id("registration-state")).to_contain_text("已绑定企业")
    officer.context.close()


def write_the_demand_letter(page, site, tmp_path, shoot) -> None:
    """The same figures, signed in: the calculator offers the letter."""
    page.goto(f"{site}/public/tools/interest/?{FIGURES}")
    page.get_by_test_id("make-letter").click()
    expect(page.locator("#id_principal_fen")).to_have_value("100,000.00")
    page.locator("#id_debtor_name").fill(DEBTOR)
    page.locator("#id_debtor_uscc").fill(Enterprise.objects.get(name=DEBTOR).uscc)
    page.locator("#id_debtor_type").select_option("large")
    page.locator("#id_contract_title").fill("包装材料采购合同")
    page.locator("#id_contract_number").fill(CONTRACT)
    page.locator("#id_sme_notified_at_signing_0").check()
    page.get_by_test_id("letter-save").click()
    expect(page.get_by_test_id("letter-figures")).to_contain_text("¥3,330.00")
    shoot(page, "services-2-demand-letter")
    with page.expect_download() as download:
        page.get_by_test_id("letter-pdf").click()
    pdf = Path(download.value.path()).read_bytes()
    assert ink_share(first_page_image(pdf, tmp_path)) > 0.01  # page 1 rendered: ink on paper
    text = pdf_text(pdf)
    assert "催款函" in text and DEBTOR in text and "3,330.00" in text
    assert "CJK" in pdf_fonts(pdf, tmp_path)  # the Chinese is drawn in an embedded CJK font


def ask_to_confirm(page, site) -> None:
    debtor = Enterprise.objects.get(name=DEBTOR)
    page.goto(f"{site}/services/")
    page.get_by_test_id("services-confirmations").click()
    page.get_by_test_id("confirmation-new").click()
    page.fill("#id_debtor_uscc", debtor.uscc)
    page.fill("#id_debtor_name", debtor.name)
    page.select_option("#id_debtor_type", "large")
    page.select_option("#id_region_code", label="广东省")
    page.select_option("#id_region_code-city", label="广州市")
    page.fill("#id_contract_number", CONTRACT)
    page.fill("#id_contract_signed_on", "2025-01-15")
    page.select_option("#id_subject", "goods")
    page.fill("#id_due_on", "2025-03-31")
    page.fill("#id_amount", "60,000.00")
    page.get_by_test_id("confirmation-send").click()
    expect(page.get_by_test_id("confirmation-state")).to_have_attribute("data-state", "requested")


def partly_confirm(page_for, site) -> None:
    debtor = page_for("debtor-demo")
    debtor.goto(f"{site}/services/confirmations/")
    debtor.get_by_role("link", name=CONTRACT).click()
    debtor.fill("#id_confirmed", "45,000.00")
    debtor.fill("#id_disputed", "15,000.00")
    debtor.fill("#id_reason", "其中一批货物验收不合格，正在协商。")
    debtor.get_by_test_id("answer-send").click()
    expect(debtor.get_by_test_id("confirmation-state")).to_have_attribute(
        "data-state", "partly_confirmed"
    )


def see_the_split(page, site, shoot) -> None:
    page.goto(f"{site}/services/confirmations/")
    page.get_by_role("link", name=CONTRACT).click()
    page.get_by_test_id("ledger-item").click()
    expect(page.get_by_test_id("disputed")).to_contain_text("15,000.00")
    expect(page.get_by_test_id("undisputed")).to_contain_text("45,000.00")
    shoot(page, "services-3-ledger-split")


def ask_for_legal_aid(page, site) -> None:
    page.goto(f"{site}/services/")
    page.get_by_test_id("services-legal-aid").click()
    page.get_by_test_id("legalaid-new").click()
    page.locator("input[name=kind][value=consulting]").check()
    page.locator("select[name=topic]").select_option("confirmation")
    page.locator("[name=description]").fill(QUESTION)
    page.locator("select[name=region_code]").select_option("440100")
    page.locator("form[data-testid=aid-request-form] button[type=submit]").click()
    expect(page.get_by_test_id("aid-state")).to_have_attribute("data-state", "requested")


def the_legal_service_answers(page_for, site, shoot) -> None:
    aid = AidRequest.objects.get(description=QUESTION)
    adviser = page_for("gd-legal")
    adviser.goto(f"{site}/services/legal-aid/")
    adviser.locator(f'a[href="/services/legal-aid/{aid.pk}/"]').click()
    adviser.get_by_test_id("step-accept").locator("button").click()
    expect(adviser.get_by_test_id("aid-state")).to_have_attribute("data-state", "accepted")
    adviser.get_by_test_id("step-outcome").locator("[name=outcome]").fill(ANSWER)
    adviser.get_by_test_id("step-outcome").locator("button").click()
    expect(adviser.get_by_test_id("aid-state")).to_have_attribute("data-state", "completed")
    shoot(adviser, "services-4-legal-aid-answered")


@pytest.mark.usefixtures("console_senders")
def test_a_visitor_becomes_an_sme_that_knows_asks_and_gets_help(
    page, browser, page_for, site, shoot, tmp_path, capsys
):
    compute_interest(page, site, shoot)
    sign_up(page, site, shoot)
    verify_and_send_the_licence(page, site, capsys, shoot, tmp_path)
    bind(browser, site, shoot)
    write_the_demand_letter(page, site, tmp_path, shoot)
    ask_to_confirm(page, site)
    partly_confirm(page_for, site)
    see_the_split(page, site, shoot)
    ask_for_legal_aid(page, site)
    the_legal_service_answers(page_for, site, shoot)
    page.reload()
    expect(page.get_by_test_id("aid-state")).to_have_attribute("data-state", "completed")
    expect(page.get_by_test_id("step-rate")).to_be_visible()

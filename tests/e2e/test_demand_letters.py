"""An SME writes a demand letter from the interest calculator's figures, downloads
its PDF (page 1 is ink on paper, its text Chinese), and attaches it to its own
draft complaint, where it shows among the evidence."""

from pathlib import Path

from playwright.sync_api import expect

from qingqian.parties.models import Enterprise
from tests.e2e.test_accessibility import at_every_width, readable
from tests.pdfs import first_page_image, ink_share, pdf_text

DEBTOR = "广东粤海城建集团有限公司"
# The public interest calculator's link: 100,000.00 yuan due 2025-03-31, to 2025-04-30.
FROM_CALCULATOR = "principal=100000.00&due=2025-03-31&end=2025-04-30&signed=2025-01-15"


def test_an_sme_writes_downloads_and_attaches_a_demand_letter(
    page_for, site, shoot, settings, tmp_path, draft
):
    settings.MEDIA_ROOT = tmp_path / "media"
    complaint = draft()
    page = page_for("sme-demo")
    page.goto(f"{site}/services/letters/new/?{FROM_CALCULATOR}")
    expect(page.locator("#id_principal_fen")).to_have_value("100000.00")
    page.locator("#id_debtor_name").fill(DEBTOR)
    page.locator("#id_debtor_uscc").fill(Enterprise.objects.get(name=DEBTOR).uscc)
    page.locator("#id_debtor_type").select_option("large")
    page.locator("#id_contract_title").fill("机电设备采购合同")
    page.locator("#id_contract_number").fill("MD-2025-0011")
    page.locator("#id_sme_notified_at_signing_0").check()
    violations = at_every_width(page, "letter form")
    shoot(page, "services-letters-1-form")
    page.get_by_test_id("letter-save").click()

    # 100,000.00 yuan × 0.05% a day × 30 days.
    expect(page.get_by_test_id("letter-figures")).to_contain_text("¥1,500.00")
    expect(page.get_by_test_id("letter-basis")).to_contain_text("第十五条")
    violations += at_every_width(page, "letter")
    shoot(page, "services-letters-2-letter")
    with page.expect_download() as download:
        page.get_by_test_id("letter-pdf").click()
    pdf = Path(download.value.path()).read_bytes()
    text = pdf_text(pdf)
    assert "催款函" in text and DEBTOR in text and "人民币1,500.00元" in text
    assert ink_share(first_page_image(pdf, tmp_path)) > 0.01

    page.get_by_test_id(f"letter-attach-{complaint.pk}").click()
    expect(page.get_by_test_id("letter-attachments")).to_be_visible()
    page.goto(f"{site}/services/letters/")
    expect(page.get_by_test_id("letters")).to_contain_text(DEBTOR)
    violations += at_every_width(page, "letters")
    assert violations == [], readable(violations)

    page.goto(f"{site}/complaints/{complaint.pk}/")
    expect(page.locator("main")).to_contain_text("demand-letter-")


def test_a_refused_letter_form_names_the_fields(page_for, site):
    page = page_for("sme-demo")
    page.goto(f"{site}/services/letters/new/")
    page.evaluate("document.querySelectorAll('form').forEach((f) => { f.noValidate = true; })")
    page.get_by_test_id("letter-save").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator('a[href="#id_debtor_uscc"]')).to_be_visible()
    violations = at_every_width(page, "refused letter form")
    assert violations == [], readable(violations)

"""Screens the role guides (docs/guide/) show that the journeys above do not:
the intake officer asking for material and the SME answering, the debtor's
representative confirming or disputing a ledger item and reporting a payment,
and the roles page."""

from django.utils import timezone
from playwright.sync_api import expect

from qingqian.accounts.permissions import Perm
from tests.e2e.conftest import take_action
from tests.e2e.test_complaint_journey import evidence_in_tmp, expect_state, file_the_complaint

__all__ = ["evidence_in_tmp"]  # the fixture, imported for these tests


def test_intake_asks_for_material_and_the_sme_answers(
    page_for, site, shoot, tmp_path, evidence_in_tmp
):
    sme = page_for("sme-demo")
    detail, _tracking = file_the_complaint(sme, site, lambda *_a, **_k: None, tmp_path)

    intake = page_for("gd-intake")
    intake.goto(detail)
    intake.get_by_test_id("action-request-material").locator("summary").click()
    intake.locator('textarea[name="request-material-note"]').fill("请补充交货验收单和增值税发票。")
    shoot(intake, "guide-intake-review")
    intake.locator('button[name="do"][value="request-material"]').click()
    expect_state(intake, "awaiting_material")

    sme.goto(detail)
    expect_state(sme, "awaiting_material")
    sme.get_by_test_id("action-resubmit").locator("summary").click()
    sme.locator('textarea[name="resubmit-note"]').fill("已补充交货验收单和发票。")
    shoot(sme, "guide-sme-material")
    sme.locator('button[name="do"][value="resubmit"]').click()
    expect_state(sme, "submitted")


def test_debtor_confirms_part_disputes_part_and_reports_a_payment(page_for, site, shoot, make_item):
    item = make_item(contract_number="YH-2025-0301", owed_fen=200_000_00)  # owed by 粤海城建
    page = page_for("debtor-demo")
    page.goto(f"{site}/ledger/{item.pk}/")

    def dispute(panel):
        panel.locator('input[name="confirm-disputed_fen"]').fill("50,000.00")
        panel.locator('textarea[name="confirm-note"]').fill("第二批货物验收不合格，金额有分歧。")

    take_action(page, "confirm", dispute)
    expect(page.get_by_test_id("disputed")).to_contain_text("50,000.00")

    def pay(panel):
        panel.locator('input[name="payment-paid_on"]').fill(timezone.localdate().isoformat())
        panel.locator('input[name="payment-amount_fen"]').fill("60,000.00")
        panel.locator('select[name="payment-method"]').select_option("transfer")

    take_action(page, "payment", pay)
    # 200,000 owed − 60,000 paid; the payment settles the undisputed part first.
    expect(page.get_by_test_id("outstanding")).to_contain_text("140,000.00")
    expect(page.get_by_test_id("undisputed")).to_contain_text("90,000.00")
    shoot(page, "guide-debtor-item")


def test_an_official_reads_the_roles_page(page_for, shoot):
    page = page_for("gd-handler")
    page.get_by_test_id("nav-roles").click()
    expect(page.get_by_test_id("roles-matrix").locator("tbody tr")).to_have_count(len(Perm))
    shoot(page, "roles-matrix")

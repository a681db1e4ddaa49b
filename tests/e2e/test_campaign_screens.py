"""Screens the guides show for campaign targets, laggard rules edited with a
preview, the officials' work queue and a result with its amounts, each walked
as its role would and checked on what the page shows."""

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from qingqian.complaints.models import Complaint, Deadline
from qingqian.demo_complaints import seed_demo_complaints
from qingqian.ledger import services as ledger_services
from qingqian.ledger.models import LedgerItem
from qingqian.supervision.models import LaggardRule
from tests.e2e.conftest import take_action

SHANGHAI = ZoneInfo("Asia/Shanghai")


def entered(item, day):
    """Date an item's entry in the past (the ledger stamps entries with the current time)."""
    stamp = datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI)
    LedgerItem.objects.filter(pk=item.pk).update(created_at=stamp)


def test_the_administrator_sets_a_target_and_reads_a_provinces_months(
    page_for, site, shoot, make_item, user
):
    today = timezone.localdate()
    # The first day of the month before last.
    start = date(today.year - (today.month <= 2), (today.month - 3) % 12 + 1, 1)
    # An amount band no demo item falls in: only this item is behind the figures.
    item = make_item(owed_fen=123_456_00)
    entered(item, start)
    ledger_services.payment_record(
        actor=user("gd-intake"), item=item, paid_on=start, amount_fen=23_456_00, method="transfer"
    )

    page = page_for("admin")
    page.goto(f"{site}/supervision/targets/")
    page.get_by_test_id("target-new").click()
    form = page.get_by_test_id("target-form")
    form.locator('input[name="name"]').fill("123,456元专项清欠")
    form.locator('input[name="min_owed"]').fill("123,456")
    form.locator('input[name="max_owed"]').fill("123,457")
    form.locator('input[name="provinces"][value="440000"]').check()
    form.locator('input[name="starts_on"]').fill(start.isoformat())
    form.locator('input[name="due_on"]').fill(date(today.year, 12, 31).isoformat())
    page.get_by_test_id("target-save").click()

    expect(page.locator("h1")).to_have_text("123,456元专项清欠")
    months = page.get_by_test_id("months-440000").locator("tbody tr")
    # The end of the start month, of the month after it, and today (the live last row).
    expect(months).to_have_count(3)
    expect(months.first).to_contain_text("123,456.00")
    expect(months.first).to_contain_text("23,456.00")
    expect(months.last).to_contain_text("100,000.00")
    shoot(page, "guide-supervisor-target")


def test_the_administrator_previews_a_rule_change_then_saves_it(page_for, site, shoot):
    rule = LaggardRule.objects.filter(kind="on_time_below").order_by("pk").first()
    page = page_for("admin")
    page.goto(f"{site}/supervision/rules/")
    page.get_by_test_id(f"rule-{rule.pk}").click()
    page.locator('input[name="threshold"]').fill("99")
    page.get_by_test_id("rule-preview").click()
    expect(page.get_by_test_id("rule-preview-result")).to_contain_text("尚未保存")
    rule.refresh_from_db()
    assert rule.threshold != Decimal("99")
    shoot(page, "guide-supervisor-rule-preview")

    page.get_by_test_id("rule-save").click()
    page.wait_for_url(f"{site}/supervision/rules/")
    expect(page.get_by_test_id(f"rule-{rule.pk}").locator("xpath=../..")).to_contain_text("99")
    rule.refresh_from_db()
    assert rule.threshold == Decimal("99")


@pytest.fixture
def demo_complaints(seeded_live_db):
    """Two rounds of the demo's complaint states (the browser tests' seed has none)."""
    seed_demo_complaints(count=24)


def test_the_intake_queue_nearest_due_first_and_overdue_only(
    page_for, site, shoot, demo_complaints
):
    today = timezone.localdate()
    overdue = Complaint.objects.filter(
        province_code="440000",
        deadlines__status=Deadline.Status.OPEN,
        deadlines__due_on__lt=today,
    ).distinct()
    page = page_for("gd-intake")
    page.goto(f"{site}/complaints/")
    page.locator("#overdue").check()
    page.get_by_role("button", name="搜索").click()
    dues = page.get_by_test_id("next-due")
    expect(dues).to_have_count(overdue.count())
    days = [int(re.search(r"已逾期 (\d+) 日", text)[1]) for text in dues.all_inner_texts()]
    # Nearest due date first: among overdue complaints, the longest overdue on top.
    assert days == sorted(days, reverse=True) and len(set(days)) > 1
    shoot(page, "guide-intake-queue")


def test_the_handler_submits_a_partly_disputed_result_with_its_amounts(
    page_for, site, shoot, demo_complaints
):
    complaint = (
        Complaint.objects.filter(state="in_handling", handling_department__name="广东省财政厅")
        .order_by("pk")
        .first()
    )
    page = page_for("gd-handler")
    page.goto(f"{site}/complaints/{complaint.pk}/")

    def result(panel):
        panel.locator('select[name="submit-result-kind"]').select_option("partly")
        panel.locator('textarea[name="submit-result-text"]').fill(
            "被投诉人确认部分欠款并已支付一部分，其余有分歧。"
        )
        panel.locator('input[name="submit-result-confirmed"]').fill("60,000")
        panel.locator('input[name="submit-result-paid"]').fill("20,000")
        panel.locator('input[name="submit-result-planned"]').fill("40,000")
        panel.locator('input[name="submit-result-disputed"]').fill("30,000")
        panel.locator('textarea[name="submit-result-basis"]').fill("被投诉人书面确认函及对账单。")
        shoot(page, "guide-handler-result-form")

    take_action(page, "submit-result", result)
    amounts = page.get_by_test_id("result-amounts")
    for shown in ("60,000.00", "20,000.00", "40,000.00", "30,000.00", "对账单"):
        expect(amounts).to_contain_text(shown)
    shoot(page, "guide-handler-result")

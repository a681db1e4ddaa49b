"""Supervision in the browser: the national supervisor reads the dashboard
(the tile grid of provinces, charts drawn on their canvases, the same figures in tables), drills
into Guangdong, opens a listed supervision on a flagged laggard, and the
Guangdong intake officer records progress on it."""

import pytest
from playwright.sync_api import expect

from qingqian.demo_complaints import seed_demo_complaints
from qingqian.supervision.models import CaseEvent, SupervisionCase


@pytest.fixture
def demo_history(seeded_live_db):
    """The demo complaints: Guangdong has more overdue deadlines than the rules allow."""
    seed_demo_complaints()


def canvas_is_drawn(page, testid: str) -> bool:
    """Whether the chart's canvas has any non-transparent pixel (drawn, not just placed)."""
    return page.evaluate(
        """(testid) => {
            const canvas = document.querySelector(`[data-testid="${testid}"] canvas`);
            if (!canvas || !canvas.width || !canvas.height) return false;
            const context = canvas.getContext('2d');
            const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
            for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
            return false;
        }""",
        testid,
    )


def test_dashboard_drill_down_listed_supervision_and_progress(page_for, site, shoot, demo_history):
    page = page_for("supervisor")
    page.get_by_test_id("nav-supervision").click()
    for chart in ("bar", "trend"):
        expect(page.get_by_test_id(chart)).to_have_attribute("data-rendered", "true")
        assert canvas_is_drawn(page, chart), chart
    expect(page.get_by_test_id("tile-map")).to_contain_text("广东")
    expect(page.get_by_test_id("by_region")).to_contain_text("广东省")
    shoot(page, "supervision-1-national")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: nothing wider than it
    page.reload()
    expect(page.get_by_test_id("bar")).to_have_attribute("data-rendered", "true")
    expect(page.get_by_test_id("tile-440000")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, "supervision-1-phone", guide=False)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_test_id("drill-44").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("广东省")
    expect(page.get_by_test_id("by_region")).to_contain_text("广州市")
    received = page.get_by_test_id("figure-received").inner_text()
    page.get_by_test_id("figure-received").click()
    expect(page.get_by_test_id("facts").locator("tbody tr")).to_have_count(int(received))
    page.go_back()
    shoot(page, "supervision-2-province")

    page.get_by_test_id("open-case-440000").first.click()
    form = page.get_by_test_id("case-form")
    expect(form.locator("[name=region_code]")).to_have_value("440000")
    form.locator("[name=kind]").select_option("listed")
    form.locator("[name=due_working_days]").fill("20")
    form.locator("[name=listed_items]").fill("逾期未办结投诉19件，须于期限内全部办结。")
    form.locator("[name=lift_conditions]").fill("逾期投诉全部办结，无分歧欠款清偿进度达到75%。")
    shoot(page, "supervision-3-open-case")
    page.get_by_test_id("case-open").click()
    expect(page.get_by_test_id("case-state")).to_be_visible()
    case = SupervisionCase.objects.get(region_code="440000", kind="listed")
    shoot(page, "supervision-4-case")

    page = page_for("gd-intake")
    page.goto(f"{site}/supervision/cases/{case.pk}/")
    page.get_by_test_id("action-progress").locator("summary").click()
    page.get_by_test_id("action-progress").locator("[name=text]").fill(
        "已召开专题会议，逾期投诉已办结12件，其余7件月底前办结。"
    )
    page.get_by_test_id("case-progress").click()
    expect(page.get_by_test_id("case-history")).to_contain_text("已召开专题会议")
    assert CaseEvent.objects.filter(case=case, action="progress").count() == 1
    shoot(page, "supervision-5-progress")

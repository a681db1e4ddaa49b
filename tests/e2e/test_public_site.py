"""A visitor, signed out: the home's figures, the open statistics and their charts,
a CSV download."""

import re

from playwright.sync_api import expect

from qingqian.demo_complaints import seed_demo_complaints
from tests.e2e.test_accessibility import at_every_width, readable


def test_visitor_reads_the_statistics_and_downloads_the_csv(page, site, shoot):
    seed_demo_complaints()
    page.goto(site)
    expect(page.get_by_role("heading", level=2, name="谁可以投诉谁")).to_be_visible()
    expect(page.get_by_test_id("suppression-rule")).to_contain_text("以免识别具体投诉")
    page.get_by_role("link", name="查看按月份、按省（区、市）的全部数据").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("公开统计")
    page.get_by_label("省（区、市）", exact=True).select_option(label="广东省")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("广东省")
    expect(page.get_by_test_id("table-months")).to_be_visible()
    shoot(page, "public-statistics")
    with page.expect_download() as download_info:
        page.get_by_test_id("download-months-csv").click()
    download = download_info.value
    assert "statistics-44-months" in download.suggested_filename
    assert "extracted" in download.suggested_filename
    text = download.path().read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("月份,")


def test_the_statistics_charts_render_fit_a_phone_and_pass_axe(browser, site):
    """The national page draws the trends (canvases) and the tile map, at 1280 and
    360 pixels wide, with no console error and no axe violation."""
    seed_demo_complaints()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{site}/public/statistics/")
        trend = page.locator("#dashboard-trend")
        expect(trend).to_have_attribute("data-rendered", "true")
        expect(trend.locator("canvas")).to_have_count(1)
        expect(trend).to_have_attribute("aria-hidden", "true")
        arrears = page.locator("#trend-arrears")
        expect(arrears).to_have_attribute("data-rendered", "true")
        expect(arrears.locator("canvas")).to_have_count(1)
        expect(page.get_by_test_id("tile-map")).to_be_visible()
        expect(page.get_by_test_id("tile-440000")).to_be_visible()
        expect(page.get_by_test_id("tile-710000")).to_have_class(re.compile("tile-not-applicable"))
        violations = at_every_width(page, "statistics")
        assert violations == [], readable(violations)
        page.set_viewport_size({"width": 360, "height": 800})
        page.reload()
        expect(trend).to_have_attribute("data-rendered", "true")
        for element in (trend, arrears, page.get_by_test_id("tile-map")):
            box = element.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360, box
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.goto(f"{site}/public/statistics/44/")
        expect(trend.locator("canvas")).to_have_count(1)
        expect(arrears.locator("canvas")).to_have_count(1)
        expect(page.get_by_test_id("tile-map")).to_have_count(0)
    finally:
        context.close()
    assert errors == []

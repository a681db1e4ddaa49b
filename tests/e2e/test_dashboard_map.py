"""The national dashboard's map in the browser: by default a tile grid whose
squares are links (Tab to one, Enter drills down), Taiwan, Hong Kong and Macao
"not applicable"; the bar chart takes the keyboard too; an operator's approved
map is drawn with its approval number under it, and drills down by keyboard."""

import json

import pytest
from playwright.sync_api import expect

from qingqian.demo_complaints import seed_demo_complaints

NOT_APPLICABLE = ["710000", "810000", "820000"]
APPROVAL = "GS(2024)0650号"


@pytest.fixture
def complaints(seeded_live_db):
    """The demo complaints: the dashboard has figures by province."""
    seed_demo_complaints()


def focused_testid(page) -> str:
    return page.evaluate(
        "() => document.activeElement.closest('[data-testid]')?.dataset.testid || ''"
    )


def test_tab_to_a_tile_and_enter_drills_down(page_for, site, complaints):
    page = page_for("supervisor")
    page.get_by_test_id("nav-supervision").click()
    expect(page.get_by_test_id("tile-map")).to_be_visible()
    expect(page.get_by_test_id("map")).to_have_count(0)  # no boundaries without approval
    for code in NOT_APPLICABLE:
        expect(page.get_by_test_id(f"tile-{code}")).to_contain_text("不适用")
        expect(page.get_by_test_id(f"tile-{code}").locator("a")).to_have_count(0)
    expect(page.get_by_test_id("map-legend")).to_contain_text("台湾")

    page.get_by_test_id("tile-450000").locator("a").focus()  # Guangxi, just before Guangdong
    page.keyboard.press("Tab")
    assert focused_testid(page) == "tile-440000"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focus is seen
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("广东省")
    expect(page.get_by_test_id("by_region")).to_contain_text("广州市")


def test_the_bar_chart_drills_down_by_keyboard(page_for, site, complaints):
    page = page_for("supervisor")
    page.get_by_test_id("nav-supervision").click()
    bar = page.get_by_test_id("bar")
    expect(bar).to_have_attribute("data-rendered", "true")
    assert bar.get_attribute("aria-label").startswith("柱状图")  # says what it is
    page.get_by_test_id("tile-460000").locator("a").focus()  # Hainan, the grid's last link
    page.keyboard.press("Tab")
    assert focused_testid(page) == "bar"
    first = bar.get_attribute("data-current")  # the largest figure, chosen on focus
    page.keyboard.press("ArrowDown")
    second = bar.get_attribute("data-current")
    assert first and second and second != first
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site}/supervision/?region={second[:2]}")


def square(code: str, x: float, y: float) -> dict:
    ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]
    return {
        "type": "Feature",
        "properties": {"code": code, "name": code},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


@pytest.fixture
def approved_map(settings, tmp_path):
    """A stand-in for an operator's approved map: a square per province of the demo."""
    codes = ["110000", "320000", "440000", "710000", "810000", "820000"]
    features = [square(code, index * 2, 0) for index, code in enumerate(codes)]
    path = tmp_path / "approved.json"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    settings.QINGQIAN_MAP_GEOJSON = path
    settings.QINGQIAN_MAP_APPROVAL_NUMBER = APPROVAL


def map_items(page) -> list[dict]:
    """The map series' data items, as ECharts holds them."""
    return page.evaluate(
        """() => {
            const el = document.querySelector('[data-testid="map"]');
            return window.echarts.getInstanceByDom(el).getOption().series[0].data;
        }"""
    )


def test_an_approved_map_carries_its_number_and_drills_down_by_keyboard(
    page_for, site, complaints, approved_map
):
    page = page_for("supervisor")
    page.get_by_test_id("nav-supervision").click()
    chart = page.get_by_test_id("map")
    expect(chart).to_have_attribute("data-rendered", "true")
    expect(page.get_by_test_id("tile-map")).to_have_count(0)
    expect(page.get_by_test_id("map-approval-number")).to_have_text(f"审图号：{APPROVAL}")
    items = map_items(page)
    for code in NOT_APPLICABLE:
        (item,) = [item for item in items if item["name"] == code]  # drawn once, without a figure
        assert item["notApplicable"] is True and item["value"] == "-", code
    assert chart.get_attribute("aria-label").startswith("中国地图")
    assert chart.get_attribute("aria-label") != page.get_by_test_id("bar").get_attribute(
        "aria-label"
    )

    page.get_by_test_id("bar").focus()
    page.keyboard.press("Shift+Tab")  # the map is the tab stop before the bar chart
    assert focused_testid(page) == "map"
    current = chart.get_attribute("data-current")
    assert current
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site}/supervision/?region={current[:2]}")

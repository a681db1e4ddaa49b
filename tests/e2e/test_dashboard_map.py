"""The map of China on the national dashboard draws Taiwan, Hong Kong and Macao
as "not applicable" (no SME authority in the programme), never with a figure
or as a province without data."""

import pytest
from playwright.sync_api import expect

from qingqian.demo_complaints import seed_demo_complaints

NOT_APPLICABLE = ["710000", "810000", "820000"]


def map_items(page) -> list[dict]:
    """The map series' data items, as ECharts holds them."""
    return page.evaluate(
        """() => {
            const el = document.querySelector('[data-testid="map"]');
            return window.echarts.getInstanceByDom(el).getOption().series[0].data;
        }"""
    )


@pytest.fixture
def complaints(seeded_live_db):
    """The demo complaints: the dashboard has figures by province (and draws the map)."""
    seed_demo_complaints()


def test_taiwan_hong_kong_and_macao_are_not_applicable_on_the_map(page_for, site, complaints):
    page = page_for("supervisor")
    page.get_by_test_id("nav-supervision").click()
    expect(page.get_by_test_id("map")).to_have_attribute("data-rendered", "true")
    items = map_items(page)
    for code in NOT_APPLICABLE:
        (item,) = [item for item in items if item["name"] == code]  # drawn once, without a figure
        assert item["notApplicable"] is True and item["value"] == "-", code
        assert item["itemStyle"]["areaColor"] != "#eef1f4", code  # not the no-data grey
    assert "440000" in [item["name"] for item in items if not item.get("notApplicable")]
    expect(page.get_by_test_id("map-legend")).to_contain_text("台湾")

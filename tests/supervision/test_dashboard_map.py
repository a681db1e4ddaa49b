"""The national dashboard's map: by default a tile grid (one square per
provincial-level unit, no boundaries, so no map approval number is needed);
the boundary map only from an operator's approved map file, with its approval
number (审图号) printed under it, and never from one setting without the other."""

import json
import re

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from qingqian import settings as settings_module
from qingqian.core import regions
from qingqian.demo_complaints import seed_demo_complaints
from qingqian.supervision.dashboard import tilegrid

PERIOD = "from=2025-01&to=2026-12"
NOT_APPLICABLE = {"710000", "810000", "820000"}
APPROVAL = "GS(2024)0650号"


@pytest.fixture
def history(db):
    seed_demo_complaints()


def tiles_of(page: str) -> dict[str, str]:
    """code → the HTML of its tile."""
    found = re.findall(r'<li class="tile [^"]*" data-testid="tile-(\d{6})">(.*?)</li>', page, re.S)
    return dict(found)


def received_behind(client, prefix: str) -> int:
    """How many complaint receptions the facts page lists for a province."""
    facts = client.get(f"/supervision/facts/?region={prefix}&{PERIOD}&measure=received&format=csv")
    text = b"".join(facts.streaming_content).decode("utf-8-sig")
    return len(text.strip().splitlines()) - 1  # less the header


def test_the_grid_has_every_province_with_its_figure_and_link(client_for, history):
    client = client_for("supervisor")
    page = client.get(f"/supervision/?{PERIOD}").content.decode()
    tiles = tiles_of(page)
    assert set(tiles) == {region.code for region in regions.provinces()}
    for code, html in tiles.items():
        if code in NOT_APPLICABLE:
            continue
        name = regions.lookup(code).name
        (href,) = re.findall(r'<a href="([^"]+)"', html)
        assert f"region={code[:2]}" in href and "from=2025-01" in href
        value = int(re.search(r'<span class="tile-value" aria-hidden="true">(\d+)</span>', html)[1])
        assert value == received_behind(client, code[:2]), code
        assert f"{name}：收到投诉 {value} 件" in html  # what a screen reader hears
    assert received_behind(client, "44") > 0  # the demo has complaints to count


def test_taiwan_hong_kong_and_macao_are_not_applicable(client_for, history):
    page = client_for("supervisor").get(f"/supervision/?{PERIOD}").content.decode()
    tiles = tiles_of(page)
    for code in NOT_APPLICABLE:
        assert "<a " not in tiles[code], code  # nothing to drill into
        assert "不适用" in tiles[code], code
    assert re.search(r'class="tile [^"]*tile-not-applicable" data-testid="tile-710000"', page)
    assert "台湾、香港、澳门" in page  # the legend says why


def test_tile_colours_follow_the_figures(client_for, history):
    page = client_for("supervisor").get(f"/supervision/?{PERIOD}").content.decode()
    step_classes = r'class="tile [^"]*tile-step-(\d)" data-testid="tile-(\d+)"'
    steps = {code: int(step) for step, code in re.findall(step_classes, page)}
    values = {
        code: int(re.search(r'class="tile-value" aria-hidden="true">(\d+)<', html)[1])
        for code, html in tiles_of(page).items()
        if code not in NOT_APPLICABLE
    }
    highest = max(values.values())
    assert highest > 0
    for code, value in values.items():
        assert steps[code] == (0 if value == 0 else -(-value * 5 // highest)), code
    assert steps[max(values, key=values.get)] == 5


def test_no_boundary_map_without_an_approved_one(client_for, history):
    client = client_for("supervisor")
    page = client.get(f"/supervision/?{PERIOD}").content.decode()
    assert 'id="dashboard-map"' not in page and "审图号" not in page
    island = json.loads(re.search(r'id="dashboard-data"[^>]*>(.*?)</script>', page, re.S)[1])
    assert island["map"] is None and island["geojson_url"] is None
    assert island["bar"]["rows"]  # the bar chart stays
    assert client.get("/supervision/map.json").status_code == 404


def test_a_province_dashboard_has_neither_grid_nor_map(client_for, history):
    page = client_for("supervisor").get(f"/supervision/?region=44&{PERIOD}").content.decode()
    assert 'data-testid="tile-map"' not in page and 'id="dashboard-map"' not in page


def in_english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_map_and_the_bar_chart_say_different_things(client_for, history):
    html = in_english(client_for("supervisor")).get(f"/supervision/?{PERIOD}").content.decode()
    caption = re.search(r'<figcaption id="tile-map-caption"[^>]*>(.*?)</figcaption>', html)[1]
    bar = re.search(r'id="dashboard-bar"[^>]*data-label="([^"]+)"', html)[1]
    assert "square" in caption and "Bar chart" in bar and caption != bar


@pytest.fixture
def approved_map(settings, tmp_path):
    path = tmp_path / "approved.json"
    path.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    settings.QINGQIAN_MAP_GEOJSON = path
    settings.QINGQIAN_MAP_APPROVAL_NUMBER = APPROVAL
    return path


def test_an_approved_map_is_drawn_with_its_approval_number(client_for, history, approved_map):
    client = client_for("supervisor")
    page = client.get(f"/supervision/?{PERIOD}").content.decode()
    assert f"审图号：{APPROVAL}" in page
    assert 'id="dashboard-map"' in page and 'data-testid="tile-map"' not in page
    island = json.loads(re.search(r'id="dashboard-data"[^>]*>(.*?)</script>', page, re.S)[1])
    assert island["geojson_url"] == "/supervision/map.json" and island["map"]["rows"]
    served = client.get("/supervision/map.json")
    assert served.content == approved_map.read_bytes()
    assert served["Content-Type"] == "application/json"
    english = in_english(client).get(f"/supervision/?{PERIOD}").content.decode()
    assert f"Map approval number (审图号): {APPROVAL}" in english


@pytest.mark.parametrize(
    "variables, missing",
    [
        ({"QINGQIAN_MAP_GEOJSON": "approved.json"}, "QINGQIAN_MAP_APPROVAL_NUMBER"),
        ({"QINGQIAN_MAP_APPROVAL_NUMBER": APPROVAL}, "QINGQIAN_MAP_GEOJSON"),
    ],
)
def test_one_map_setting_without_the_other_refuses_to_start(
    monkeypatch, tmp_path, variables, missing
):
    (tmp_path / "approved.json").write_text("{}", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name in ("QINGQIAN_MAP_GEOJSON", "QINGQIAN_MAP_APPROVAL_NUMBER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=f"^{missing} is not set"):
        settings_module.approved_map()


def test_both_map_settings_name_an_existing_file(monkeypatch, tmp_path):
    monkeypatch.setenv("QINGQIAN_MAP_APPROVAL_NUMBER", APPROVAL)
    monkeypatch.setenv("QINGQIAN_MAP_GEOJSON", str(tmp_path / "missing.json"))
    with pytest.raises(ImproperlyConfigured, match="QINGQIAN_MAP_GEOJSON: no such file"):
        settings_module.approved_map()
    (tmp_path / "map.json").write_text("{}", encoding="utf-8")
    monkeypatch.setenv("QINGQIAN_MAP_GEOJSON", str(tmp_path / "map.json"))
    assert settings_module.approved_map() == ((tmp_path / "map.json").resolve(), APPROVAL)
    monkeypatch.delenv("QINGQIAN_MAP_GEOJSON")
    monkeypatch.delenv("QINGQIAN_MAP_APPROVAL_NUMBER")
    assert settings_module.approved_map() == (None, "")


# --- the grid's layout and colour steps (pure) ---


def test_the_layout_places_every_provincial_level_unit_once():
    assert set(tilegrid.LAYOUT) == {region.code for region in regions.provinces()}
    cells = [(row, column) for _name, row, column in tilegrid.LAYOUT.values()]
    assert len(set(cells)) == len(cells) == 34
    assert all(0 <= row < 8 and 0 <= column < 8 for row, column in cells)
    for code, (short_name, _row, _column) in tilegrid.LAYOUT.items():
        assert regions.lookup(code).name.startswith(short_name), code


@pytest.mark.parametrize(
    "value, highest, step",
    [(0, 10, 0), (1, 10, 1), (2, 10, 1), (3, 10, 2), (9, 10, 5), (10, 10, 5), (1, 3, 2), (0, 0, 0)],
)
def test_colour_step_is_the_fifth_of_the_highest_figure(value, highest, step):
    assert tilegrid.step_of(value, highest) == step


def test_the_legend_lists_the_figures_of_each_step():
    assert tilegrid.legend(10) == [(1, 1, 2), (2, 3, 4), (3, 5, 6), (4, 7, 8), (5, 9, 10)]
    # Few figures: only the steps a whole number can fall in.
    assert tilegrid.legend(3) == [(2, 1, 1), (4, 2, 2), (5, 3, 3)]
    assert tilegrid.legend(0) == []

"""The open statistics' charts get the tables' cells, never the figures: a "<5"
(or a secondary "x") is a gap in a trend and a hatched tile, labelled with its mark."""

import json
import re
from datetime import date

import pytest

from qingqian.portal.figures import SECONDARY, SUPPRESSED
from tests.portal.test_statistics import snapshot, tally

PERIOD = {"from": "2026-01", "to": "2026-03"}


def island(html: str) -> dict:
    found = re.search(
        r'<script id="dashboard-data" type="application/json">(.*?)</script>', html, re.S
    )
    assert found, "no data island"
    return json.loads(found.group(1))


def tile(html: str, code: str) -> tuple[str, str]:
    found = re.search(
        rf'<li class="tile ([^"]*)" data-testid="tile-{code}">'
        r'.*?class="tile-value" aria-hidden="true">(.*?)</span>',
        html,
        re.S,
    )
    assert found, f"no tile {code}"
    return found.group(1), found.group(2)


@pytest.mark.django_db
def test_the_trend_draws_the_cells_with_gaps_where_they_are_withheld(client):
    for month, count in ((1, 4), (2, 9), (3, 6)):
        tally("received", count, month=date(2026, month, 1))
    tally("accepted", 5, month=date(2026, 2, 1))
    html = client.get("/public/statistics/44/", PERIOD).content.decode()
    trend = island(html)["trend"]
    assert trend["months"] == ["2026-01", "2026-02", "2026-03"]
    received, accepted, transferred, resolved = trend["series"]
    assert received["values"] == [None, 9, None]  # 4 is "<5"; 6 hidden as its complement
    assert received["labels"] == [SUPPRESSED, "9", SECONDARY]
    assert accepted["values"] == [0, 5, 0] and transferred["values"] == [0, 0, 0]
    assert "4" not in received["labels"] and 4 not in received["values"]
    assert 'id="dashboard-trend"' in html and 'aria-hidden="true"' in html
    assert "tile-map" not in html  # a province's page has no map


@pytest.mark.django_db
def test_the_map_colours_the_cells_and_hatches_the_withheld(client):
    tally("received", 3, region="320000", month=date(2026, 2, 1))
    tally("received", 6, region="440000", month=date(2026, 2, 1))
    tally("received", 20, region="310000", month=date(2026, 2, 1))
    html = client.get("/public/statistics/", PERIOD).content.decode()
    classes, value = tile(html, "320000")
    assert "tile-withheld" in classes and "tile-step" not in classes
    assert value == "&lt;5"
    classes, value = tile(html, "440000")  # the complement of Jiangsu's "<5"
    assert "tile-withheld" in classes and value == SECONDARY
    classes, value = tile(html, "310000")
    assert "tile-step-5" in classes and value == "20"
    classes, value = tile(html, "110000")
    assert "tile-step-0" in classes and value == "0"
    assert "tile-not-applicable" in tile(html, "710000")[0]
    assert 'href="/public/statistics/31/?from=2026-01&amp;to=2026-03"' in html
    legend = re.search(r'data-testid="map-legend".*?</ul>', html, re.S).group(0)
    assert re.findall(r"</span> (\d+(?:–\d+)?)</li>", legend) == ["5–8", "9–12", "13–16", "17–20"]
    trend = island(html)["trend"]
    assert trend["series"][0]["labels"] == ["0", "29", "0"]  # the nation's month: 3 + 6 + 20


@pytest.mark.django_db
def test_the_arrears_trend_draws_yuan_with_gaps_where_withheld(client):
    snapshot(1, 4, 100_00, 300_00)
    snapshot(2, 5, 200_00, 400_50)
    html = client.get("/public/statistics/44/", PERIOD).content.decode()
    cleared, outstanding = island(html)["trends"]["arrears"]["series"]
    assert cleared["values"] == [None, 200, None]
    assert outstanding["values"] == [None, 400.5, None]
    assert outstanding["labels"] == [SUPPRESSED, "¥400.50", "—"]
    assert 'data-trend="arrears"' in html

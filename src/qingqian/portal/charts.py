"""The open statistics' charts, drawn from the cells of `portal.figures` only.

The charts get the tables' cells, already suppressed, never the figures: a
"<5" (or a secondary "x") is a gap in a trend line and a grey tile on the map,
labelled with its mark, so no chart can show what the table withholds. The
trends are drawn by the officials' dashboard script (web/static/qingqian/
dashboard.js, from the data island this builds); the map is the dashboard's
tile grid (`supervision.dashboard.tilegrid`), drawn in HTML.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from qingqian.core.messages import yuan
from qingqian.portal import figures as cells
from qingqian.supervision.dashboard import tilegrid

# The columns the charts show: the months table's counts (after the month), and
# the provinces table's "received" (after the code and the name).
MONTH_COUNTS = range(1, 1 + len(cells.COMPLAINT_COLUMNS))
MONTH_AMOUNTS = range(1, 1 + len(cells.LEDGER_MONTH_COLUMNS))
PROVINCE_RECEIVED = 2


def _point(cell, money: bool) -> int | float | None:
    if not isinstance(cell, int):
        return None
    return cell / 100 if money else cell


def _label(cell, money: bool) -> str:
    if cell is None:
        return "—"
    return yuan(cell) if money and isinstance(cell, int) else str(cell)


def trend(
    header: list[str], rows: list[list], columns: range, label: str, *, money: bool = False
) -> dict:
    """A trend block for dashboard.js: one line per column, a gap where a cell is
    withheld or empty, and the cell as the page shows it for the tooltip
    (amounts drawn in yuan)."""
    return {
        "label": label,
        "months": [row[0] for row in rows],
        "series": [
            {
                "name": header[column],
                "values": [_point(row[column], money) for row in rows],
                "labels": [_label(row[column], money) for row in rows],
            }
            for column in columns
        ],
    }


def charts(tables: dict) -> dict:
    """The data island of the statistics page (json_script "dashboard-data"):
    "trend" the complaints by month, "trends" the other trends by name."""
    header, rows, _kinds = tables["months"]
    arrears_header, arrears_rows, _kinds = tables["arrears"]
    return {
        "trend": trend(header, rows, MONTH_COUNTS, _("Complaints by month")),
        "trends": {
            "arrears": trend(
                arrears_header,
                arrears_rows,
                MONTH_AMOUNTS,
                _("Arrears by month (yuan)"),
                money=True,
            )
        },
    }


def tile_map(tables: dict, period: dict) -> dict | None:
    """The province tile grid of the national page, coloured by complaints
    received as the provinces table shows them; None on a province's page."""
    if "provinces" not in tables:
        return None
    _header, rows, _kinds = tables["provinces"]
    received = {f"{row[0]}0000": row[PROVINCE_RECEIVED] for row in rows}
    query = urlencode(period)

    def url_of(prefix: str) -> str:
        return reverse("portal:statistics-region", args=[prefix]) + "?" + query

    # Every figure shown is 0 or at least 5: the legend's bands say so.
    bands = tilegrid.legend(tilegrid.highest_of(received))
    return {
        "tiles": tilegrid.tiles(received, url_of),
        "legend": [
            (step, max(low, cells.THRESHOLD), high)
            for step, low, high in bands
            if high >= cells.THRESHOLD
        ],
    }

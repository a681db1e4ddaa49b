"""The public home, the complaint guide and the open statistics: no sign-in, no
personal data. Figures come from `supervision.dashboard.public` and are shown only
as the suppressed cells of `portal.figures`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone

from qingqian.core import regions
from qingqian.core.messages import COVERAGE_RULE, yuan
from qingqian.core.spreadsheets import download
from qingqian.portal import charts
from qingqian.portal import figures as cells
from qingqian.portal.cache import cached_page
from qingqian.supervision.dashboard.public import public_figures, public_headline

FORMATS = ("csv", "xlsx")


@cached_page
def home(request):
    """The signed-out home page (`web.views.home` sends the anonymous here)."""
    figures = public_headline()
    context = {
        "coverage_rule": COVERAGE_RULE,
        "headline": cells.headline(figures),
        "period": figures["period"],
        "suppressed": cells.SUPPRESSED,
    }
    return render(request, "portal/home.html", context)


@cached_page
def how_to_complain(request):
    return render(request, "portal/how_to_complain.html", {"coverage_rule": COVERAGE_RULE})


@cached_page  # a download is not cached: its name says when it was extracted
def statistics(request, prefix: str = ""):
    region = prefix or request.GET.get("region", "")
    try:
        figures = public_figures(
            region=region, start=request.GET.get("from", ""), end=request.GET.get("to", "")
        )
    except ValidationError as error:
        context = {"errors": error.message_dict, "provinces": regions.provinces()}
        return render(request, "portal/statistics_invalid.html", context, status=400)
    tables = cells.tables(figures)
    wanted, fmt = request.GET.get("download", ""), request.GET.get("format", "")
    if wanted in tables and fmt in FORMATS:
        return download(_filename(figures, wanted), *tables[wanted], fmt=fmt)
    context = {
        "figures": figures,
        "jurisdiction": figures["jurisdiction"],
        "period": figures["period"].as_params(),
        "headline": cells.headline(figures),
        "tables": {name: _shown(*table) for name, table in tables.items()},
        "charts": charts.charts(tables),
        "tiles": charts.tile_map(tables, figures["period"].as_params()),
        "provinces": regions.provinces(),
        "suppressed": cells.SUPPRESSED,
    }
    return render(request, "portal/statistics.html", context)


def _filename(figures: dict, table: str) -> str:
    """The file says what it holds: where, which months, and when it was extracted."""
    period = figures["period"].as_params()
    where = figures["jurisdiction"].prefix or "national"
    moment = timezone.localtime().strftime("%Y%m%dT%H%M%S")
    return f"qingqian-statistics-{where}-{table}-{period['from']}_{period['to']}-extracted-{moment}"


def _shown(header: list[str], rows: list[list], kinds: list[str]) -> dict:
    """A table's cells as the page shows them: yuan for amounts, "—" for no figure."""
    return {
        "header": header,
        "rows": [
            [_display(value, kind) for value, kind in zip(row, kinds, strict=True)] for row in rows
        ],
    }


def _display(value, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "money" and isinstance(value, int):
        return yuan(value)
    return str(value)

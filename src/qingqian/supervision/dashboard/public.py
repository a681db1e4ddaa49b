"""The programme's figures as the public sees them: the nation or one province.

The dashboard's selectors scope every read by the actor (`jurisdiction_for`).
These read the same tallies and ledger totals without an actor on purpose:
aggregates by month and province are public by design, and no row
of a complaint, an item or an enterprise is read into the result. The caller
(the public site) still suppresses small cells before showing them.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.core import regions
from qingqian.supervision.dashboard.selectors import (
    by_month,
    by_region,
    complaint_figures,
    headline_figures,
    ledger_figures,
    ledger_totals,
)
from qingqian.supervision.models import LedgerSnapshot
from qingqian.supervision.periods import Jurisdiction, Period, period_of


def public_jurisdiction(region: str = "") -> Jurisdiction:
    """The nation ("") or a province (its 2-digit prefix or 6-digit code); the
    public site has no city pages, whose cells would nearly all be small."""
    prefix = (region or "").strip()
    if len(prefix) == 6 and prefix.endswith("0000"):
        prefix = prefix[:2]
    if prefix and (len(prefix) != 2 or not prefix.isdigit()):
        raise ValidationError({"region": _("Choose the nation or a province (a 2-digit code).")})
    if prefix and regions.lookup(prefix + "0000") is None:
        raise ValidationError({"region": _("There is no such province.")})
    return Jurisdiction(prefix)


def public_figures(
    *, region: str = "", start: str = "", end: str = "", today: date | None = None
) -> dict:
    """Totals, months and (nationally) provinces of a period, unsuppressed."""
    today = today or timezone.localdate()
    jurisdiction = public_jurisdiction(region)
    period = period_of(start, end, today=today)
    provinces = (
        _every_province(by_region(jurisdiction, period, today)) if not jurisdiction.prefix else []
    )
    return {
        **headline_figures(jurisdiction, period, today),
        "by_month": by_month(jurisdiction, period, today),
        "ledger_by_month": ledger_by_month(jurisdiction, period, today),
        "by_region": provinces,
    }


LEDGER_MONTH_FIGURES = ("cleared_fen", "outstanding_fen")


def ledger_by_month(jurisdiction: Jurisdiction, period: Period, today: date) -> list[dict]:
    """The ledger at each month's end (its snapshots; this month: now), with the
    number of items the amounts add up: {"month", "items", *LEDGER_MONTH_FIGURES}.
    A month without a snapshot has None for all; "items" is None where a snapshot
    was taken before the count was kept."""
    rows = (
        LedgerSnapshot.objects.filter(
            jurisdiction.tally_q(), month__gte=period.first, month__lte=period.last
        )
        .values("month")
        # Aggregates named apart from the fields they sum (Django refuses the same name).
        .annotate(
            sum_items=Sum("items"),
            uncounted=Count("pk", filter=Q(items__isnull=True)),
            **{f"sum_{name}": Sum(name) for name in LEDGER_MONTH_FIGURES},
        )
    )
    known = {
        row["month"]: {
            "items": None if row["uncounted"] else row["sum_items"],
            **{name: row[f"sum_{name}"] for name in LEDGER_MONTH_FIGURES},
        }
        for row in rows
    }
    current = today.replace(day=1)
    if period.first <= current <= period.last:
        known[current] = ledger_figures(ledger_totals(jurisdiction).get(None, {}))
    empty = dict.fromkeys(("items", *LEDGER_MONTH_FIGURES))
    return [
        {
            "month": month,
            **{name: known.get(month, empty)[name] for name in ("items", *LEDGER_MONTH_FIGURES)},
        }
        for month in period.months()
    ]


def _every_province(rows: list[dict]) -> list[dict]:
    """Every province, those without figures as zeros: a missing row would read as
    "no data" where the truth is "nothing happened"."""
    known = {row["code"]: row for row in rows}
    every = [
        known.pop(province.code, None)
        or {
            "code": province.code,
            "prefix": province.code[:2],
            "name": province.name,
            "complaints": complaint_figures({}),
            "ledger": ledger_figures({}),
        }
        for province in regions.provinces()
    ]
    return every + list(known.values())  # a platform-defined unit, if any counted


def public_headline(*, today: date | None = None) -> dict:
    """The nation's totals of this year so far (the public home page's figures)."""
    today = today or timezone.localdate()
    return headline_figures(Jurisdiction(""), period_of(today=today), today)

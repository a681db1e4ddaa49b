"""The figures of the periodic information reports (信息报送) the platform can prefill.

Each figure has a key. Complaint figures count what happened in the report's
period (from the complaint tallies); clocks are rated by the dashboard's one
definition of on time and breached (stages ended in the period, plus the
clocks still running past their due date at the period's end, or today),
`overdue_now` and the ledger figures are the state
on the day the report is generated. Everything is computed through the
dashboard's own functions, so a report never disagrees with the dashboard of
the same province and period.

All values are integers: counts, or amounts in fen (keys ending in `_fen`,
shown and exported as yuan).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from qingqian.supervision.dashboard.selectors import (
    ledger_figures,
    ledger_totals,
    overdue_counts,
    stage_counts,
    stage_on_time,
)
from qingqian.supervision.periods import Jurisdiction, Period

COUNT, MONEY = "count", "money"

COMPLAINT_KEYS = ("received", "accepted", "not_accepted", "transferred", "resolved", "closed")
CLOCK_STAGES = ("transfer", "handling")
CLOCK_KEYS = tuple(f"{stage}_{end}" for stage in CLOCK_STAGES for end in ("met", "breached"))
LEDGER_KEYS = (
    "identified_fen",
    "cleared_fen",
    "outstanding_fen",
    "undisputed_outstanding_fen",
    "legal_route_fen",
)
KEYS = (*COMPLAINT_KEYS, *CLOCK_KEYS, "overdue_now", *LEDGER_KEYS)

FIGURE_LABELS = {
    "received": _("complaints received"),
    "accepted": _("complaints accepted"),
    "not_accepted": _("complaints not accepted"),
    "transferred": _("complaints transferred"),
    "resolved": _("complaints resolved"),
    "closed": _("complaints closed"),
    "transfer_met": _("transfers within 10 working days"),
    "transfer_breached": _("transfers late or still not done after 10 working days"),
    "handling_met": _("handling within 30 days"),
    "handling_breached": _("handling late or still not done after 30 days"),
    "overdue_now": _("deadlines overdue now"),
    "identified_fen": _("arrears identified (yuan)"),
    "cleared_fen": _("arrears cleared (yuan)"),
    "outstanding_fen": _("arrears outstanding (yuan)"),
    "undisputed_outstanding_fen": _("undisputed arrears outstanding (yuan)"),
    "legal_route_fen": _("arrears in legal proceedings (yuan)"),
}
KINDS = {key: (MONEY if key.endswith("_fen") else COUNT) for key in KEYS}

# Months in a period of each frequency.
MONTHS_OF = {"monthly": 1, "quarterly": 3, "annual": 12}


def label(key: str) -> str:
    return str(FIGURE_LABELS.get(key, key))


# --- periods ----------------------------------------------------------------------------


def _add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def period_start_of(frequency: str, day: date) -> date:
    """The first day of the period of this frequency that contains `day`."""
    if frequency == "monthly":
        return day.replace(day=1)
    if frequency == "quarterly":
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    if frequency == "annual":
        return date(day.year, 1, 1)
    raise ValueError(f"unknown frequency {frequency!r}")


def period_end(frequency: str, start: date) -> date:
    """The last day of the period of this frequency starting on `start`."""
    return _add_months(start, MONTHS_OF[frequency]) - timedelta(days=1)


def is_period_start(frequency: str, day: date) -> bool:
    return frequency in MONTHS_OF and period_start_of(frequency, day) == day


def period_of_report(frequency: str, some_date: date) -> tuple[date, date]:
    """(start, end) of the last period of this frequency completed before `some_date`."""
    current = period_start_of(frequency, some_date)
    start = _add_months(current, -MONTHS_OF[frequency])
    return start, period_end(frequency, start)


# --- the figures ------------------------------------------------------------------------


def platform_figures(
    prefix: str, start: date, end: date, *, today: date, keys=None
) -> dict[str, int]:
    """The figures of a province (2-digit prefix) for the period [start, end], as
    the platform knows them on `today`: {key: int} for `keys` (default: all)."""
    keys = list(KEYS if keys is None else keys)
    unknown = set(keys) - set(KEYS)
    if unknown:
        raise ValueError(f"unknown report figures: {sorted(unknown)}")
    jurisdiction = Jurisdiction(prefix)
    figures: dict[str, int] = {}
    if set(keys) & {*COMPLAINT_KEYS, *CLOCK_KEYS}:
        period = Period(start.replace(day=1), end.replace(day=1))
        counts = {
            key[0]: n
            for key, n in stage_counts(jurisdiction, jurisdiction.tally_q(), period, today).items()
        }
        figures.update({key: int(counts.get(key) or 0) for key in COMPLAINT_KEYS})
        for stage in CLOCK_STAGES:
            on_time = stage_on_time(counts, stage)
            figures[f"{stage}_met"] = on_time["met"]
            figures[f"{stage}_breached"] = on_time["breached"]
    if "overdue_now" in keys:
        figures["overdue_now"] = int(overdue_counts(jurisdiction, today)["total"])
    if set(keys) & set(LEDGER_KEYS):
        ledger = ledger_figures(ledger_totals(jurisdiction).get(None, {}))
        figures.update({key: int(ledger[key] or 0) for key in LEDGER_KEYS})
    return {key: figures[key] for key in keys}

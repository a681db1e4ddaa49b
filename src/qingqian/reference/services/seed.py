"""Seeding the reference tables (working-day calendar, one-year LPR) from packaged data.

Seeding only *adds* what is missing: calendar years with no schedule yet (from
the `chinesecalendar` package) and LPR fixings whose date is not in the table
(from core/data/lpr_1y.csv). Whatever an administrator entered or edited is
kept, so running it again -- at every `init`, every test database -- changes
nothing and writes no audit event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from qingqian.accounts.permissions import Perm, require_perm
from qingqian.core import audit, workdays
from qingqian.core.interest import packaged_lpr_rows
from qingqian.core.models import CalendarYear
from qingqian.reference import verbs
from qingqian.reference.services.calendar import (
    group_by_year,
    run_change_hooks,
    write_year_schedules,
)
from qingqian.reference.services.lpr import insert_missing_rates


@dataclass(frozen=True)
class SeedResult:
    calendar_years: list[int] = field(default_factory=list)  # years newly entered
    lpr_dates: list[date] = field(default_factory=list)  # fixings newly entered

    @property
    def changed(self) -> bool:
        return bool(self.calendar_years or self.lpr_dates)


@transaction.atomic
def seed_reference_data(*, actor) -> SeedResult:
    """Add the packaged calendar years and LPR fixings that are missing; one audit event."""
    require_perm(actor, Perm.REFERENCE_EDIT)
    source = workdays.chinesecalendar_source()
    years = _seed_calendar(source)
    lpr_dates = insert_missing_rates(packaged_lpr_rows())
    result = SeedResult(sorted(years), sorted(lpr_dates))
    if result.changed:
        audit.record(
            actor=actor,
            verb=verbs.REFERENCE_SEED,
            target=("core.calendaryear", "seed"),
            payload={
                "calendar_source": source,
                "calendar_years": result.calendar_years,
                "lpr_dates": [d.isoformat() for d in result.lpr_dates],
            },
        )
    if years:
        run_change_hooks(actor=actor, changed_years=set(years))
    return result


def _seed_calendar(source: str) -> set[int]:
    days, years = workdays.chinesecalendar_schedule()
    known = set(CalendarYear.objects.values_list("year", flat=True))
    by_year = {year: [] for year in years - known}
    for year, year_days in group_by_year(days).items():
        if year in by_year:
            by_year[year] = year_days
    write_year_schedules(by_year, source=source)
    return set(by_year)

"""Reads of the reference tables, shaped for the pure rules in workdays and interest.

Reference data is public to every signed-in role and to the CLI, so these
selectors take no actor: there is nothing to scope.
"""

from __future__ import annotations

from django.db import connection

from qingqian.core.interest import LprTable
from qingqian.core.models import CalendarDay, CalendarYear, LprRate
from qingqian.core.workdays import Calendar

_loaded_calendar: tuple[tuple, Calendar] | None = None


def load_calendar() -> Calendar:
    """The working-day calendar as the database holds it now (the source of truth).

    Kept per process and reloaded when the calendar's fingerprint changes: every
    calendar service touches its year's `updated_at`, so an edit made by any
    process is seen by the next call here. Calendars are never mutated.
    """
    global _loaded_calendar
    fingerprint = _calendar_fingerprint()
    if _loaded_calendar is None or _loaded_calendar[0] != fingerprint:
        exceptions = dict(CalendarDay.objects.values_list("date", "kind"))
        known_years = CalendarYear.objects.values_list("year", flat=True)
        _loaded_calendar = (fingerprint, Calendar(exceptions, known_years))
    return _loaded_calendar[1]


def _calendar_fingerprint() -> tuple:
    """Years entered, their latest edit and the number of exception days: one
    small read per deadline computed (the calendar itself is read only on change)."""
    years, days = CalendarYear._meta.db_table, CalendarDay._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), MAX(updated_at), (SELECT COUNT(*) FROM {days}) FROM {years}"  # nosec B608 # table names from _meta, no input
        )
        return tuple(cursor.fetchone())


def calendar_year(year: int) -> CalendarYear | None:
    return CalendarYear.objects.filter(year=year).first()


def calendar_days(year: int) -> list[CalendarDay]:
    return list(CalendarDay.objects.filter(date__year=year).order_by("date"))


def calendar_years() -> list[CalendarYear]:
    return list(CalendarYear.objects.order_by("year"))


def lpr_rates() -> list[LprRate]:
    return list(LprRate.objects.order_by("effective_from"))


def load_lpr_table() -> LprTable:
    """The one-year LPR step function as administrators maintain it."""
    return LprTable(LprRate.objects.values_list("effective_from", "rate_percent"))

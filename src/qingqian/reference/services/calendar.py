"""Audited writes to the working-day calendar (CalendarYear + CalendarDay).

The database is the source of truth for `qingqian.core.workdays.Calendar`:
a CalendarYear row says a year's official schedule is entered; CalendarDay
rows are its exceptions (holidays, and weekend days worked).

Every service returns the set of years in which some day changed between
working and non-working (or which became known). Deadlines already stored for
open items in those years must be recomputed (Alaveteli bug #7292: due dates
that did not move when a holiday was added). Each service therefore calls the
hooks named in `settings.QINGQIAN_CALENDAR_CHANGE_HOOKS` inside its own
transaction (this app does not import the apps that keep deadlines); a hook takes
the changed years and returns how many stored deadlines it moved, which is
recorded as one `deadlines.recompute` audit event.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from qingqian.accounts.permissions import Perm, require_perm
from qingqian.core import audit, workdays
from qingqian.core.messages import schedule_problem_label
from qingqian.core.models import CalendarDay, CalendarYear
from qingqian.core.workdays import ScheduleDay
from qingqian.reference import verbs


@transaction.atomic
def calendar_import(*, actor, year_rows: Iterable, source: str = "import") -> set[int]:
    """Replace the schedule of every year present in `year_rows`, and mark those years known.

    `year_rows` are `ScheduleDay`s (see `workdays.parse_schedule_csv`), or
    (date, kind[, name]) tuples or mappings with those keys. All rows are
    checked first; any problem raises ValidationError listing every bad row,
    and nothing is written.
    """
    require_perm(actor, Perm.REFERENCE_EDIT)
    days = _schedule_days(year_rows)
    problems = workdays.validate_schedule(days)
    if not days:
        problems.append(workdays.ScheduleProblem("no_rows", "", {}))
    if problems:
        raise ValidationError([schedule_problem_label(problem) for problem in problems])
    by_year = group_by_year(days)
    changed = write_year_schedules(by_year, source=source)
    audit.record(
        actor=actor,
        verb=verbs.CALENDAR_IMPORT,
        target=("core.calendaryear", ",".join(map(str, sorted(by_year)))),
        payload={
            "source": source,
            "years": sorted(by_year),
            "changed_years": sorted(changed),
            "days": [_day_payload(day) for day in days],
        },
    )
    run_change_hooks(actor=actor, changed_years=changed)
    return changed


@transaction.atomic
def calendar_set_day(*, actor, date: date, kind: str, name: str = "") -> set[int]:
    """Add or change one exception in a year whose schedule is already entered."""
    require_perm(actor, Perm.REFERENCE_EDIT)
    day = _checked_day(date, kind, name)
    _require_known_year(day.date)
    existing = CalendarDay.objects.select_for_update().filter(date=day.date).first()
    previous = _row_payload(existing)
    if existing and (existing.kind, existing.name) == (day.kind, day.name):
        return set()
    row, _created = CalendarDay.objects.update_or_create(
        date=day.date, defaults={"kind": day.kind, "name": day.name}
    )
    _touch_year(day.date.year)
    audit.record(
        actor=actor,
        verb=verbs.CALENDAR_SET_DAY,
        target=row,
        payload={**_day_payload(day), "previous": previous},
    )
    before = existing.kind if existing else None
    changed = {day.date.year} if _status_changed(day.date, before, day.kind) else set()
    run_change_hooks(actor=actor, changed_years=changed)
    return changed


@transaction.atomic
def calendar_delete_day(*, actor, date: date) -> set[int]:
    """Remove one exception: the day goes back to the Monday-Friday rule."""
    require_perm(actor, Perm.REFERENCE_EDIT)
    _require_known_year(date)
    existing = CalendarDay.objects.select_for_update().filter(date=date).first()
    if existing is None:
        raise ValidationError(
            {"date": _("%(date)s has no calendar exception to delete.") % {"date": date}}
        )
    target = ("core.calendarday", existing.pk)
    previous = _row_payload(existing)
    existing.delete()
    _touch_year(date.year)
    audit.record(actor=actor, verb=verbs.CALENDAR_DELETE_DAY, target=target, payload=previous)
    changed = {date.year} if _status_changed(date, previous["kind"], None) else set()
    run_change_hooks(actor=actor, changed_years=changed)
    return changed


# --- helpers shared with the seeding service (call inside an audited service) ---


def run_change_hooks(*, actor, changed_years: set[int]) -> int:
    """Recompute what depends on the calendar (open deadlines) after a change.

    Runs inside the caller's transaction, so the calendar and the deadlines
    change together or not at all; one `deadlines.recompute` audit event per
    hook that moved something.
    """
    if not changed_years:
        return 0
    total = 0
    for path in getattr(settings, "QINGQIAN_CALENDAR_CHANGE_HOOKS", []):
        moved = import_string(path)(set(changed_years))
        total += moved
        if moved:
            audit.record(
                actor=actor,
                verb=verbs.DEADLINES_RECOMPUTE,
                target=("core.calendaryear", ",".join(map(str, sorted(changed_years)))),
                payload={"hook": path, "changed_years": sorted(changed_years), "moved": moved},
            )
    return total


def group_by_year(days: Iterable[ScheduleDay]) -> dict[int, list[ScheduleDay]]:
    by_year: dict[int, list[ScheduleDay]] = defaultdict(list)
    for day in days:
        by_year[day.date.year].append(day)
    return dict(by_year)


def write_year_schedules(by_year: Mapping[int, list[ScheduleDay]], *, source: str) -> set[int]:
    """Replace each year's exceptions and mark it known; returns the years whose days changed.

    No permission check and no audit event: only for services that do both.
    """
    changed = set()
    for year, days in sorted(by_year.items()):
        old = dict(CalendarDay.objects.filter(date__year=year).values_list("date", "kind"))
        new = {day.date: day.kind for day in days}
        was_known = CalendarYear.objects.filter(year=year).exists()
        if not was_known or any(_status_changed(d, old.get(d), new.get(d)) for d in old | new):
            changed.add(year)
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(
            CalendarDay(date=day.date, kind=day.kind, name=day.name) for day in days
        )
        CalendarYear.objects.update_or_create(year=year, defaults={"source": source[:200]})
    return changed


# --- private helpers ----------------------------------------------------------


def _touch_year(year: int) -> None:
    """Mark the year changed, which tells every process's cached calendar to reload."""
    CalendarYear.objects.filter(year=year).update(updated_at=timezone.now())


def _status_changed(day: date, old_kind: str | None, new_kind: str | None) -> bool:
    def works(kind):
        return not workdays.is_weekend(day) if kind is None else kind == workdays.WORKDAY

    return works(old_kind) != works(new_kind)


def _schedule_days(rows: Iterable) -> list[ScheduleDay]:
    """Normalise the accepted row shapes; unusable rows become errors, not crashes."""
    days, problems = [], []
    for index, row in enumerate(rows, start=1):
        if isinstance(row, ScheduleDay):
            days.append(row)
            continue
        if isinstance(row, Mapping):
            row = (row.get("date"), row.get("kind"), row.get("name") or "")
        day, problem = _row_day(row, index)
        if problem:
            problems.append(problem)
        else:
            days.append(day)
    if problems:
        raise ValidationError([schedule_problem_label(problem) for problem in problems])
    return days


def _row_day(row, index: int) -> tuple[ScheduleDay | None, workdays.ScheduleProblem | None]:
    try:
        day, kind, *rest = row
    except (TypeError, ValueError):
        return None, workdays.ScheduleProblem("field_count", "", {"count": 0}, row=index)
    if len(rest) > 1:
        return None, workdays.ScheduleProblem(
            "field_count", "", {"count": 2 + len(rest)}, row=index
        )
    if not isinstance(day, date):
        return None, workdays.ScheduleProblem("not_a_date", "date", {"value": day}, row=index)
    return workdays.check_day(day, kind, rest[0] if rest else "", row=index)


def _checked_day(day, kind, name="") -> ScheduleDay:
    """One day entered on its own: each problem raised against its field."""
    if not isinstance(day, date):
        raise ValidationError({"date": _("Enter a date like 2026-10-01.")})
    result, problem = workdays.check_day(day, kind, name)
    problem = problem or next(iter(workdays.validate_schedule([result])), None)
    if problem:  # the form names the field; a single day has no row to name
        problem = problem._replace(line=None, row=None)
        raise ValidationError({problem.field: schedule_problem_label(problem)})
    return result


def _require_known_year(day: date) -> None:
    if not CalendarYear.objects.filter(year=day.year).exists():
        raise ValidationError(
            {
                "date": _(
                    "%(year)s has no schedule yet: import the whole %(year)s schedule "
                    "(holidays and make-up working days) before editing single days."
                )
                % {"year": day.year}
            }
        )


def _day_payload(day: ScheduleDay) -> dict:
    return {"date": day.date.isoformat(), "kind": day.kind, "name": day.name}


def _row_payload(row: CalendarDay | None) -> dict | None:
    if row is None:
        return None
    return {"date": row.date.isoformat(), "kind": row.kind, "name": row.name}

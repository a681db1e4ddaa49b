"""The working-day calendar and the deadline rules that run on it.

Pure Python (no Django): the database holds the schedule (see
`qingqian.core.selectors.load_calendar`), this module only answers questions.

The rules, from the Civil Code:

* Art. 201: a period starts counting on the day *after* its trigger.
* Art. 203: a period whose last day is a statutory holiday (weekends included)
  ends on the next working day.

The Chinese week is Monday-Friday, changed every year by the State Council's
schedule: holidays on weekdays, and make-up working days (调休) on weekends.
A year whose schedule has not been entered is an explicit state: every
question that needs one of its days raises `UnknownCalendarYear`, unless the
caller asked for a *provisional* answer, which uses weekends plus the 13
statutory holiday days fixed by the Measures and says so in its result.
"""

from __future__ import annotations

import copy
import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

HOLIDAY = "holiday"
WORKDAY = "workday"
KINDS = (HOLIDAY, WORKDAY)

# Spellings accepted in imported files, so a schedule can be typed as officials write it.
KIND_ALIASES = {
    "holiday": HOLIDAY,
    "休": HOLIDAY,
    "假": HOLIDAY,
    "放假": HOLIDAY,
    "休息": HOLIDAY,
    "workday": WORKDAY,
    "班": WORKDAY,
    "补班": WORKDAY,
    "上班": WORKDAY,
    "调休上班": WORKDAY,
}

ONE_DAY = timedelta(days=1)
ART_201 = "(Civil Code Art. 201: count from the next day)"


class CalendarError(ValueError):
    """A question the calendar cannot answer, or input it cannot accept."""


class UnknownCalendarYear(CalendarError):
    """A needed day lies in a year whose official schedule is not entered."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"no working-day schedule is entered for {year}: import the {year} schedule "
            f"(holidays and make-up working days) before counting days in {year}"
        )


class ScheduleProblem(NamedTuple):
    """One bad schedule row, as a stable code and its values, so that a page can
    word it in the reader's language (`core.messages.schedule_problem_label`);
    `str()` words it in English, for the CLI.

    `line` is the file's line; rows handed over otherwise are counted by `row`.
    `field` names the column at fault (date, kind, name), "" for the whole row.
    """

    code: str
    field: str
    values: dict
    line: int | None = None
    row: int | None = None

    @property
    def where(self) -> str:
        return f"line {self.line}" if self.line is not None else f"row {self.row}"

    def __str__(self) -> str:
        return f"{self.where}: {PROBLEM_TEXTS[self.code].format(**self.values)}"


PROBLEM_TEXTS = {
    "field_count": "expected date,kind,name but got {count} fields",
    "not_a_date": "date {value!r} is not a date like 2026-10-01",
    "unknown_kind": "kind {value!r} must be holiday (休) or workday (班)",
    "name_too_long": "name is longer than {limit} characters",
    "weekday_workday": "{date} is a {date:%A}: a make-up working day must be a Saturday or Sunday",
    "duplicate": "{date} is listed twice (first at {first_where})",
    "no_rows": "no calendar rows to import",
}
NAME_MAX = 60
# The first cell of a header line, in either language of the template.
HEADER_WORDS = frozenset({"date", "日期"})


class ScheduleError(CalendarError):
    """Bad schedule rows: `problems` lists every one, each naming its row and
    field; `errors` words them in English."""

    def __init__(self, problems: list[ScheduleProblem]):
        self.problems = problems
        self.errors = [str(problem) for problem in problems]
        super().__init__("; ".join(self.errors))


class ScheduleDay(NamedTuple):
    """One exception to the Monday-Friday week, as entered or imported."""

    date: date
    kind: str
    name: str = ""
    line: int | None = None  # where it came from, for error messages


def is_weekend(day: date) -> bool:
    return day.weekday() >= 5


# --- the calendar -----------------------------------------------------------


class Calendar:
    """Working days from a table of exceptions plus the set of years it covers.

    `exceptions` maps a date to HOLIDAY or WORKDAY; a date not in it follows the
    Monday-Friday rule. With `provisional=True`, a year outside `known_years`
    is answered from `provisional_holidays(year)` instead of raising; callers
    must then report the result as provisional (see `compute_deadline`).
    """

    def __init__(
        self, exceptions: Mapping[date, str], known_years: Iterable[int], *, provisional=False
    ):
        self.known_years = frozenset(known_years)
        for day, kind in exceptions.items():
            if day.year not in self.known_years:
                raise CalendarError(
                    f"calendar exception on {day} lies in {day.year}, which is not a known year"
                )
            _check_kind(day, kind)
        self.exceptions = dict(exceptions)
        self.provisional = provisional

    def __repr__(self) -> str:
        years = sorted(self.known_years)
        span = f"{years[0]}-{years[-1]}" if years else "none"
        return f"<Calendar known years {span}, {len(self.exceptions)} exceptions>"

    def with_provisional(self) -> Calendar:
        """The same calendar, answering unknown years from the statutory holidays."""
        twin = copy.copy(self)  # already checked; the tables are shared, never mutated
        twin.provisional = True
        return twin

    def is_known(self, year: int) -> bool:
        return year in self.known_years

    def is_workday(self, day: date) -> bool:
        if day.year in self.known_years:
            kind = self.exceptions.get(day)
        elif self.provisional:
            kind = HOLIDAY if day in provisional_holidays(day.year) else None
        else:
            raise UnknownCalendarYear(day.year)
        if kind is None:
            return not is_weekend(day)
        return kind == WORKDAY

    def next_workday(self, day: date) -> date:
        """`day` itself if it is a working day, else the first working day after it."""
        while not self.is_workday(day):
            day += ONE_DAY
        return day

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after the trigger day `start` (Art. 201).

        n=0 returns `start` unchanged: a period of no days ends on its trigger.
        """
        _check_count(n)
        day = start
        for _ in range(n):
            day = self.next_workday(day + ONE_DAY)
        return day

    def add_days(self, start: date, n: int) -> date:
        """n calendar days after `start` (Art. 201), rolled forward to a working day (Art. 203).

        Only the end day and the days it rolls over are looked up, so the years in
        between need no schedule. n=0 returns `start` unchanged, like
        `add_working_days`.
        """
        _check_count(n)
        if n == 0:
            return start
        return self.next_workday(start + timedelta(days=n))


def _check_kind(day: date, kind: str) -> None:
    if kind not in KINDS:
        raise CalendarError(f"kind of {day} must be one of {', '.join(KINDS)}, not {kind!r}")
    if kind == WORKDAY and not is_weekend(day):
        raise CalendarError(
            f"{day} is a {day:%A}: a make-up working day must be a Saturday or Sunday"
        )


def _check_count(n: int) -> None:
    if not isinstance(n, int) or isinstance(n, bool):
        raise CalendarError(f"number of days must be a whole number, not {n!r}")
    if n < 0:
        raise CalendarError(f"number of days must be zero or more, not {n}")


# --- provisional years ------------------------------------------------------


@lru_cache(maxsize=64)
def provisional_holidays(year: int) -> dict[date, str]:
    """The 13 statutory holiday days of the Measures (全国年节及纪念日放假办法, 2025).

    These are fixed by the Measures themselves; the State Council's yearly
    schedule adds bridging days and make-up working days, which cannot be
    known in advance. Lunar dates and the Qingming solar term come from
    lunar-python.
    """
    from lunar_python import Lunar

    def solar(lunar_month: int, lunar_day: int) -> date:
        s = Lunar.fromYmd(year, lunar_month, lunar_day).getSolar()
        return date(s.getYear(), s.getMonth(), s.getDay())

    new_year = solar(1, 1)
    qingming = Lunar.fromYmd(year, 1, 1).getJieQiTable()["清明"]
    days = {date(year, 1, 1): "New Year's Day"}
    for offset in range(-1, 3):  # eve, then days 1-3 of the first lunar month
        days[new_year + timedelta(days=offset)] = "Spring Festival"
    days[date(qingming.getYear(), qingming.getMonth(), qingming.getDay())] = "Tomb-sweeping Day"
    days[date(year, 5, 1)] = days[date(year, 5, 2)] = "Labour Day"
    days[solar(5, 5)] = "Dragon Boat Festival"
    days[solar(8, 15)] = "Mid-autumn Festival"
    for day in (1, 2, 3):
        days[date(year, 10, day)] = "National Day"
    return days


# --- deadlines --------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """A computed deadline with the rule that produced it, for storing next to it."""

    date: date
    rule: str
    provisional: bool = False
    missing_years: tuple[int, ...] = field(default=())

    def as_dict(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "rule": self.rule,
            "provisional": self.provisional,
            "missing_years": list(self.missing_years),
        }


def compute_deadline(
    calendar: Calendar,
    start: date,
    *,
    working_days: int | None = None,
    days: int | None = None,
    allow_provisional: bool = False,
) -> Deadline:
    """The one function that computes legal deadlines.

    Exactly one of `working_days` / `days`. Without `allow_provisional`, a
    needed day in an unknown year raises `UnknownCalendarYear`; with it, the
    result is marked provisional and names the years whose schedule is missing,
    so it can be recomputed when they are entered.
    """
    if (working_days is None) == (days is None):
        raise CalendarError("give exactly one of working_days or days")
    cal = calendar.with_provisional() if allow_provisional else calendar
    if working_days is not None:
        end = cal.add_working_days(start, working_days)
        first_looked_up = start + ONE_DAY
        rule = f"{working_days} working days after {start} {ART_201}"
    else:
        end = cal.add_days(start, days)
        first_looked_up = start + timedelta(days=days or 1)  # 0 days: nothing looked up
        rule = _calendar_days_rule(start, days, first_looked_up, end)
    missing = _missing_years(calendar, first_looked_up, end)
    if missing:
        rule += (
            f"; PROVISIONAL: no official schedule for {', '.join(map(str, missing))}, "
            "counted weekends and the 13 statutory holiday days only"
        )
    return Deadline(end, rule, bool(missing), missing)


def _calendar_days_rule(start: date, n: int, nominal_end: date, end: date) -> str:
    rule = f"{n} calendar days after {start} {ART_201}"
    if n == 0:
        return rule
    if end != nominal_end:
        return (
            f"{rule}; {nominal_end} is not a working day, rolled forward to the next "
            "working day (Civil Code Art. 203)"
        )
    return f"{rule}; the last day is a working day (Civil Code Art. 203 not needed)"


def _missing_years(calendar: Calendar, first: date, last: date) -> tuple[int, ...]:
    """Unknown years among the days that were looked up (none if nothing was)."""
    if last < first:
        return ()
    return tuple(y for y in range(first.year, last.year + 1) if not calendar.is_known(y))


# --- schedules: import files and the packaged chinesecalendar data ----------


def parse_kind(text: str) -> str | None:
    return KIND_ALIASES.get(text.strip().lower())


def parse_schedule_csv(text: str) -> list[ScheduleDay]:
    """Read `date,kind,name` rows (UTF-8, with or without a BOM; `#` comments and
    blank lines skipped). A first line naming the columns, in English
    (`date,kind,name`) or in Chinese (`日期,类别,名称`), is a header.

    kind is `holiday` or `workday`, or 休/假/放假/休息 and 班/补班/上班/调休上班.
    Every bad row is reported with its line number in one ScheduleError, so
    the whole file can be fixed at once; nothing is returned partially.
    """
    days, problems = [], []
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    for line_no, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells[0].startswith("#") or _is_header(line_no, cells):
            continue
        day, problem = _parse_row(line_no, cells)
        if problem:
            problems.append(problem)
        else:
            days.append(day)
    problems += validate_schedule(days)
    if problems:  # in the order of the file, as the reader fixes them
        raise ScheduleError(sorted(problems, key=lambda problem: problem.line))
    return days


def _is_header(line_no: int, cells: list[str]) -> bool:
    return line_no == 1 and cells[0].lower() in HEADER_WORDS


def _parse_row(line_no: int, cells: list[str]) -> tuple[ScheduleDay | None, ScheduleProblem | None]:
    if len(cells) < 2 or len(cells) > 3:
        return None, ScheduleProblem("field_count", "", {"count": len(cells)}, line=line_no)
    try:
        day = date.fromisoformat(cells[0])
    except ValueError:
        return None, ScheduleProblem("not_a_date", "date", {"value": cells[0]}, line=line_no)
    return check_day(day, cells[1], cells[2] if len(cells) == 3 else "", line=line_no)


def check_day(
    day: date, kind: str, name: str = "", *, line: int | None = None, row: int | None = None
) -> tuple[ScheduleDay | None, ScheduleProblem | None]:
    """One row's kind and name read (its date already one): the day, or what is wrong."""
    where = {"line": line, "row": row}
    parsed = parse_kind(kind) if isinstance(kind, str) else None
    if parsed is None:
        return None, ScheduleProblem("unknown_kind", "kind", {"value": kind}, **where)
    name = (name or "").strip()
    if len(name) > NAME_MAX:
        return None, ScheduleProblem("name_too_long", "name", {"limit": NAME_MAX}, **where)
    return ScheduleDay(day, parsed, name, line), None


def validate_schedule(days: Iterable[ScheduleDay]) -> list[ScheduleProblem]:
    """Problems with a set of rows: bad kinds, weekday make-up days, duplicate dates."""
    problems, seen = [], {}
    for index, day in enumerate(days, start=1):
        where = {"line": day.line, "row": None if day.line is not None else index}
        problem = _kind_problem(day, where)
        if problem:
            problems.append(problem)
        first = seen.get(day.date)
        if first is None:
            seen[day.date] = (index, day.line)
            continue
        first_where = f"line {first[1]}" if first[1] is not None else f"row {first[0]}"
        values = {"date": day.date, "first": first[1] or first[0], "first_where": first_where}
        problems.append(ScheduleProblem("duplicate", "date", values, **where))
    return problems


def _kind_problem(day: ScheduleDay, where: dict) -> ScheduleProblem | None:
    if day.kind not in KINDS:
        return ScheduleProblem("unknown_kind", "kind", {"value": day.kind}, **where)
    if day.kind == WORKDAY and not is_weekend(day.date):
        return ScheduleProblem("weekday_workday", "kind", {"date": day.date}, **where)
    return None


def chinesecalendar_source() -> str:
    import chinese_calendar

    return f"chinesecalendar {chinese_calendar.__version__}"


def chinesecalendar_schedule() -> tuple[list[ScheduleDay], set[int]]:
    """Every holiday and make-up working day the chinesecalendar package knows, and its years."""
    from chinese_calendar import constants

    days = [ScheduleDay(d, HOLIDAY, name) for d, name in constants.holidays.items()]
    days += [ScheduleDay(d, WORKDAY, name) for d, name in constants.workdays.items()]
    years = {d.year for d in constants.holidays} | {d.year for d in constants.workdays}
    full_range = set(range(min(years), max(years) + 1))
    return sorted(days), full_range

"""`qingqian calendar ...` (the working-day schedule) and `qingqian deadline` (counting on it).

Both read and write the database calendar, the one the web application uses,
so an answer here is the answer a complaint's deadline gets.

Exit codes: 0 done; 1 bad input (nothing written); 2 a needed year has no
schedule entered (the message names it).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from qingqian.cli.base import cli_params, fail, option_error, print_json, setup_django

EXIT_UNKNOWN_YEAR = 2


def register(subparsers) -> None:
    calendar = subparsers.add_parser("calendar", help="the working-day calendar")
    actions = calendar.add_subparsers(dest="calendar_command", metavar="ACTION")
    actions.required = True

    imp = actions.add_parser(
        "import",
        help="import one or more years' schedules from CSV (date,kind,name)",
        description="Each year present in FILE replaces that year's schedule. The first "
        "line may be a header, date,kind,name or 日期,类别,名称 (UTF-8, a BOM is fine). "
        "kind is holiday (休) or workday (班, a weekend day worked). All rows are checked "
        "first; any bad row means nothing is written, and every bad row is reported "
        "with its line.",
    )
    imp.add_argument("file", metavar="FILE")
    imp.set_defaults(handler=run_import)

    show = actions.add_parser("show", help="list one year's holidays and make-up working days")
    show.add_argument("year", metavar="YEAR")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=run_show)

    seed = actions.add_parser(
        "seed", help="add the years the chinesecalendar package knows and are missing"
    )
    seed.set_defaults(handler=run_seed)

    deadline = subparsers.add_parser(
        "deadline",
        help="the deadline N working days or N days after a trigger date",
        description="Counts from the day after START (Civil Code Art. 201); a period "
        "in calendar days that ends on a non-working day ends on the next working "
        "day (Art. 203).",
    )
    deadline.add_argument("start", metavar="START", help="trigger date, YYYY-MM-DD")
    period = deadline.add_mutually_exclusive_group(required=True)
    period.add_argument("--working-days", metavar="N")
    period.add_argument("--days", metavar="N", help="calendar days")
    deadline.add_argument("--json", action="store_true", help="the date, rule and flags")
    deadline.add_argument(
        "--provisional",
        action="store_true",
        help="for a year with no schedule, count weekends and the statutory holidays "
        "and mark the result provisional instead of failing",
    )
    deadline.set_defaults(handler=run_deadline)


# --- deadline -------------------------------------------------------------------


def run_deadline(args) -> int:
    from qingqian.core import calculators

    params = cli_params(args, ("start", "working_days", "days", "provisional"))
    try:
        query = calculators.parse_deadline(params)
    except calculators.InputError as exc:
        return fail(option_error(exc, {"start": "START"}))
    setup_django()
    from qingqian.core import selectors, workdays

    try:
        result = calculators.deadline_result(query, selectors.load_calendar())
    except workdays.UnknownCalendarYear as exc:
        return fail(str(exc), EXIT_UNKNOWN_YEAR)
    except workdays.CalendarError as exc:
        return fail(str(exc))
    if args.json:
        print_json(result.as_dict())
    else:
        print(result.date.isoformat())
    if result.provisional:
        years = ", ".join(map(str, result.missing_years))
        print(f"warning: provisional: no schedule entered for {years}", file=sys.stderr)
    return 0


# --- calendar import / show / seed ----------------------------------------------


def run_import(args) -> int:
    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return fail(f"cannot read {path}: {exc}")
    from qingqian.core import workdays

    try:
        days = workdays.parse_schedule_csv(text)
    except workdays.ScheduleError as exc:
        return _fail_rows(path, exc.errors)
    setup_django()
    from django.core.exceptions import ValidationError

    from qingqian.reference.services.calendar import calendar_import, group_by_year

    try:
        changed = calendar_import(actor=None, year_rows=days, source=f"import {path.name}")
    except ValidationError as exc:
        return _fail_rows(path, exc.messages)
    for year, year_days in sorted(group_by_year(days).items()):
        print(_import_line(year, year_days, year in changed))
    return 0


def _import_line(year: int, days, changed: bool) -> str:
    from qingqian.core.workdays import HOLIDAY

    holidays = sum(1 for day in days if day.kind == HOLIDAY)
    note = "" if changed else "; no working day changed"
    return (
        f"imported {year}: {holidays} holidays, {len(days) - holidays} make-up working days{note}"
    )


def _fail_rows(path: Path, errors: list[str]) -> int:
    for error in errors:
        print(f"error: {path}: {error}", file=sys.stderr)
    print(f"nothing imported: fix the {len(errors)} problem(s) above", file=sys.stderr)
    return 1


def run_show(args) -> int:
    if not re.fullmatch(r"\d{4}", args.year.strip(), re.ASCII):
        return fail(f"YEAR: {args.year!r} is not a year like 2026")
    year = int(args.year)
    setup_django()
    from qingqian.core import selectors

    known = selectors.calendar_year(year)
    if known is None:
        return fail(
            f"no working-day schedule is entered for {year}: import it with "
            "`qingqian calendar import FILE`",
            EXIT_UNKNOWN_YEAR,
        )
    days = selectors.calendar_days(year)
    if args.json:
        print_json({"year": year, "source": known.source, "days": [_day_dict(d) for d in days]})
        return 0
    print(f"{year}: schedule from {known.source}")
    for day in days:
        print(f"{day.date} {day.date:%a} {day.kind:<8} {day.name}".rstrip())
    return 0


def _day_dict(day) -> dict:
    return {
        "date": day.date.isoformat(),
        "weekday": f"{day.date:%a}",
        "kind": day.kind,
        "name": day.name,
    }


def run_seed(args) -> int:
    setup_django()
    from qingqian.reference.services.seed import seed_reference_data

    result = seed_reference_data(actor=None)
    if not result.changed:
        print("nothing to add: the calendar years and LPR fixings are already present")
        return 0
    years = result.calendar_years
    if years:
        print(f"calendar years added: {_span(years)} ({len(years)})")
    if result.lpr_dates:
        print(f"LPR fixings added: {len(result.lpr_dates)}")
    return 0


def _span(years: list[int]) -> str:
    contiguous = years == list(range(years[0], years[-1] + 1))
    if contiguous and len(years) > 2:
        return f"{years[0]}-{years[-1]}"
    return ", ".join(map(str, years))

"""The working-day calendar, checked against schedules read by hand from the
State Council notices (DOMAIN.md §6), not against the code's own output."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qingqian.core import workdays
from qingqian.core.workdays import (
    HOLIDAY,
    WORKDAY,
    Calendar,
    CalendarError,
    ScheduleError,
    UnknownCalendarYear,
    compute_deadline,
    parse_schedule_csv,
    provisional_holidays,
)

D = date


def _calendar() -> Calendar:
    days, years = workdays.chinesecalendar_schedule()
    return Calendar({day.date: day.kind for day in days}, years)


CAL = _calendar()  # also used directly by the hypothesis tests


@pytest.fixture
def cal() -> Calendar:
    return CAL


# --- 2026 National Day: 10-1..10-7 off; 9-20 (Sun) and 10-10 (Sat) worked ----


def test_ten_working_days_over_national_day_2026(cal):
    # 10-8, 10-9, 10-10 (Sat, make-up), 10-12..10-16, 10-19, 10-20
    assert cal.add_working_days(D(2026, 9, 30), 10) == D(2026, 10, 20)


@pytest.mark.parametrize(
    ("day", "works"),
    [
        (D(2026, 9, 20), True),  # Sunday worked
        (D(2026, 9, 30), True),
        (D(2026, 10, 1), False),
        (D(2026, 10, 7), False),  # Wednesday off
        (D(2026, 10, 8), True),
        (D(2026, 10, 10), True),  # Saturday worked
        (D(2026, 10, 11), False),  # ordinary Sunday
    ],
)
def test_national_day_2026_days(cal, day, works):
    assert cal.is_workday(day) is works


def test_sunday_make_up_day_before_national_day_2026(cal):
    # Friday 9-18 -> the next working day is Sunday 9-20 (make-up), not Monday.
    assert cal.add_working_days(D(2026, 9, 18), 1) == D(2026, 9, 20)


# --- 2025 National Day: 10-1..10-8 off; 9-28 (Sun) and 10-11 (Sat) worked ----


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2025, 9, 26), 1, D(2025, 9, 28)),  # Fri -> Sun make-up
        (D(2025, 9, 28), 1, D(2025, 9, 29)),
        (D(2025, 9, 30), 1, D(2025, 10, 9)),  # 10-8 (Wed) is still off
        (D(2025, 10, 10), 1, D(2025, 10, 11)),  # Fri -> Sat make-up
        (D(2025, 9, 30), 3, D(2025, 10, 11)),  # 10-9, 10-10, 10-11 (Sat, make-up)
    ],
)
def test_national_day_2025(cal, start, n, expected):
    assert cal.add_working_days(start, n) == expected


def test_national_day_2025_off_days(cal):
    off = [D(2025, 10, day) for day in range(1, 9)]
    assert not any(cal.is_workday(day) for day in off)
    assert cal.is_workday(D(2025, 9, 28)) and cal.is_workday(D(2025, 10, 11))


# --- Spring Festival 2026: 2-15..2-23 off; 2-14 (Sat) and 2-28 (Sat) worked ---


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # Fri -> Sat make-up
        (D(2026, 2, 14), 1, D(2026, 2, 24)),  # 2-15..2-23 off
        (D(2026, 2, 13), 2, D(2026, 2, 24)),
        (D(2026, 2, 27), 1, D(2026, 2, 28)),  # Fri -> Sat make-up
        # 2-13, 2-14 (Sat), 2-24, 2-25, 2-26, 2-27, 2-28 (Sat), 3-2, 3-3, 3-4
        (D(2026, 2, 12), 10, D(2026, 3, 4)),
    ],
)
def test_spring_festival_2026(cal, start, n, expected):
    assert cal.add_working_days(start, n) == expected


# --- calendar-day periods (Art. 203) ------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 9, 1), 30, D(2026, 10, 8)),  # ends 10-1, holiday until 10-7
        (D(2025, 9, 1), 30, D(2025, 10, 9)),  # ends 10-1, holiday until 10-8
        (D(2026, 1, 16), 30, D(2026, 2, 24)),  # ends 2-15, Spring Festival
        (D(2026, 3, 1), 6, D(2026, 3, 9)),  # ends Sat 3-7 -> Mon 3-9
        (D(2026, 9, 10), 10, D(2026, 9, 20)),  # ends on Sunday make-up day: stays
        (D(2026, 3, 2), 30, D(2026, 4, 1)),  # ends on a Wednesday: no roll
    ],
)
def test_calendar_days_roll_forward(cal, start, n, expected):
    assert cal.add_days(start, n) == expected


def test_start_on_a_holiday(cal):
    assert cal.add_working_days(D(2026, 10, 1), 1) == D(2026, 10, 8)
    assert cal.add_days(D(2026, 10, 3), 3) == D(2026, 10, 8)  # ends 10-6, off


def test_zero_days_is_the_trigger_day(cal):
    assert cal.add_working_days(D(2026, 10, 1), 0) == D(2026, 10, 1)
    assert cal.add_days(D(2026, 10, 1), 0) == D(2026, 10, 1)


@pytest.mark.parametrize("n", [-1, -30])
def test_negative_counts_are_refused(cal, n):
    with pytest.raises(CalendarError, match="zero or more"):
        cal.add_working_days(D(2026, 1, 5), n)
    with pytest.raises(CalendarError, match="zero or more"):
        cal.add_days(D(2026, 1, 5), n)


# --- unknown years --------------------------------------------------------------


def test_crossing_into_an_unknown_year_names_it(cal):
    with pytest.raises(UnknownCalendarYear, match="2027") as info:
        cal.add_working_days(D(2026, 12, 1), 30)
    assert info.value.year == 2027
    assert isinstance(info.value, CalendarError) and isinstance(info.value, ValueError)


def test_calendar_days_into_an_unknown_year(cal):
    with pytest.raises(UnknownCalendarYear, match="2027"):
        cal.add_days(D(2026, 12, 20), 30)
    assert cal.add_days(D(2026, 12, 1), 30) == D(2026, 12, 31)  # Thursday, 2026 only


def test_is_workday_of_unknown_year_raises(cal):
    with pytest.raises(UnknownCalendarYear, match="2003"):
        cal.is_workday(D(2003, 6, 2))


def test_exceptions_must_lie_in_known_years():
    with pytest.raises(CalendarError, match="2027"):
        Calendar({D(2027, 1, 1): HOLIDAY}, {2026})


def test_make_up_day_on_a_weekday_is_refused():
    with pytest.raises(CalendarError, match="Saturday or Sunday"):
        Calendar({D(2026, 1, 5): WORKDAY}, {2026})


# --- provisional mode -----------------------------------------------------------


def test_provisional_holidays_2027():
    # Lunar New Year 2027 is 2-6; Qingming 4-5; Dragon Boat 6-9; Mid-Autumn 9-15.
    assert sorted(provisional_holidays(2027)) == [
        D(2027, 1, 1),
        D(2027, 2, 5),
        D(2027, 2, 6),
        D(2027, 2, 7),
        D(2027, 2, 8),
        D(2027, 4, 5),
        D(2027, 5, 1),
        D(2027, 5, 2),
        D(2027, 6, 9),
        D(2027, 9, 15),
        D(2027, 10, 1),
        D(2027, 10, 2),
        D(2027, 10, 3),
    ]


@pytest.mark.parametrize("year", [2025, 2026])
def test_provisional_holidays_are_within_the_official_schedule(cal, year):
    days = provisional_holidays(year)
    assert len(days) == 13
    assert all(cal.exceptions.get(day) == HOLIDAY for day in days)


def test_provisional_deadline_into_2027(cal):
    result = compute_deadline(cal, D(2026, 12, 1), working_days=30, allow_provisional=True)
    # Dec 2026: 22 working days after 12-1; 2027-01-01 (Fri) is New Year; then 1-4..1-8, 1-11..13
    assert result.date == D(2027, 1, 13)
    assert result.provisional is True
    assert result.missing_years == (2027,)
    assert "PROVISIONAL" in result.rule and "2027" in result.rule


def test_provisional_not_flagged_inside_known_years(cal):
    result = compute_deadline(cal, D(2026, 9, 30), working_days=10, allow_provisional=True)
    assert (result.date, result.provisional, result.missing_years) == (D(2026, 10, 20), False, ())


def test_zero_day_period_looks_nothing_up_so_is_never_provisional(cal):
    for kwargs in ({"days": 0}, {"working_days": 0}):
        result = compute_deadline(cal, D(2027, 3, 1), allow_provisional=True, **kwargs)
        assert (result.date, result.provisional) == (D(2027, 3, 1), False)


def test_without_provisional_an_unknown_year_raises(cal):
    with pytest.raises(UnknownCalendarYear, match="2027"):
        compute_deadline(cal, D(2026, 12, 1), working_days=30)


# --- compute_deadline -----------------------------------------------------------


def test_deadline_rules_say_what_was_applied(cal):
    wd = compute_deadline(cal, D(2026, 9, 30), working_days=10)
    assert wd.rule == (
        "10 working days after 2026-09-30 (Civil Code Art. 201: count from the next day)"
    )
    days = compute_deadline(cal, D(2026, 9, 1), days=30)
    assert days.date == D(2026, 10, 8)
    assert "2026-10-01 is not a working day" in days.rule and "Art. 203" in days.rule
    assert days.as_dict() == {
        "date": "2026-10-08",
        "rule": days.rule,
        "provisional": False,
        "missing_years": [],
    }


@pytest.mark.parametrize("kwargs", [{}, {"working_days": 1, "days": 1}])
def test_deadline_needs_exactly_one_period(cal, kwargs):
    with pytest.raises(CalendarError, match="exactly one"):
        compute_deadline(cal, D(2026, 1, 5), **kwargs)


# --- schedule files ---------------------------------------------------------------


def test_parse_schedule_csv_accepts_header_bom_and_chinese_kinds():
    text = "\ufeffdate,kind,name\n2027-01-01,休,元旦\n\n# comment\n2027-02-20,班,春节\n"
    days = parse_schedule_csv(text)
    assert [(d.date, d.kind, d.name) for d in days] == [
        (D(2027, 1, 1), HOLIDAY, "元旦"),
        (D(2027, 2, 20), WORKDAY, "春节"),
    ]


def test_parse_schedule_csv_reports_every_bad_row_with_its_line():
    text = (
        "date,kind,name\n"
        "2027-01-01,holiday,New Year\n"
        "2027-02-30,holiday,x\n"  # line 3: no such date
        "2027-02-01,work,x\n"  # line 4: bad kind
        "2027-02-03,workday,x\n"  # line 5: a Wednesday
        "2027-01-01,holiday,again\n"  # line 6: duplicate
        "2027-01-02\n"  # line 7: too few fields
    )
    with pytest.raises(ScheduleError) as info:
        parse_schedule_csv(text)
    errors = info.value.errors
    assert len(errors) == 5
    for line in (3, 4, 5, 6, 7):
        assert any(error.startswith(f"line {line}:") for error in errors), line
    assert "Saturday or Sunday" in " ".join(errors)
    assert "listed twice" in " ".join(errors)


def test_holiday_on_a_weekend_is_allowed():
    assert parse_schedule_csv("2027-10-02,holiday,National Day\n")[0].kind == HOLIDAY


# --- properties -----------------------------------------------------------------

starts = st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 10, 31))
counts = st.integers(min_value=1, max_value=40)


@settings(max_examples=200, deadline=None)
@given(start=starts, n=counts)
def test_result_of_working_days_is_a_working_day(start, n):
    assert CAL.is_workday(CAL.add_working_days(start, n))


@settings(max_examples=200, deadline=None)
@given(start=starts, n=counts)
def test_working_days_are_strictly_monotonic_in_n(start, n):
    assert CAL.add_working_days(start, n - 1) < CAL.add_working_days(start, n)


@settings(max_examples=200, deadline=None)
@given(start=starts, n=counts)
def test_exactly_n_working_days_after_trigger_up_to_result(start, n):
    end = CAL.add_working_days(start, n)
    span = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(CAL.is_workday(day) for day in span) == n


@settings(max_examples=200, deadline=None)
@given(start=starts, n=st.integers(min_value=1, max_value=60))
def test_calendar_days_end_on_the_first_working_day_from_the_nominal_end(start, n):
    end = CAL.add_days(start, n)
    nominal = start + timedelta(days=n)
    assert CAL.is_workday(end) and end >= nominal
    assert not any(CAL.is_workday(nominal + timedelta(days=i)) for i in range((end - nominal).days))


@pytest.mark.parametrize(
    "header", ["date,kind,name", "日期,类别,名称", "\ufeff日期,类别,名称", "Date,Kind"]
)
def test_parse_schedule_csv_skips_an_english_or_a_chinese_header(header):
    days = parse_schedule_csv(f"{header}\n2027-10-01,休,国庆节\n")
    assert [(d.date, d.kind, d.line) for d in days] == [(D(2027, 10, 1), HOLIDAY, 2)]


def test_a_header_word_below_the_first_line_is_a_bad_row():
    with pytest.raises(ScheduleError) as info:
        parse_schedule_csv("2027-10-01,休,国庆节\n日期,类别,名称\n")
    assert [(p.code, p.line, p.field) for p in info.value.problems] == [("not_a_date", 2, "date")]


def test_schedule_problems_name_their_line_and_column():
    text = (
        "日期,类别,名称\n2027-02-30,休,x\n2027-02-01,上课,x\n2027-02-03,班,x\n"
        "2027-10-01,休\n2027-10-01,休\n"
    )
    with pytest.raises(ScheduleError) as info:
        parse_schedule_csv(text)
    problems = [(p.line, p.field, p.code) for p in info.value.problems]
    assert problems == [
        (2, "date", "not_a_date"),
        (3, "kind", "unknown_kind"),
        (4, "kind", "weekday_workday"),  # 2027-02-03 is a Wednesday
        (6, "date", "duplicate"),
    ]
    assert info.value.problems[-1].values["first"] == 5
    assert info.value.errors[-1] == "line 6: 2027-10-01 is listed twice (first at line 5)"

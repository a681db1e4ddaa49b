"""The database calendar: seeding, importing and editing, each audited and all-or-nothing."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from qingqian.core import selectors
from qingqian.core.models import AuditEvent, CalendarDay, CalendarYear
from qingqian.core.workdays import (
    HOLIDAY,
    WORKDAY,
    ScheduleDay,
    UnknownCalendarYear,
    compute_deadline,
    parse_schedule_csv,
)
from qingqian.reference.services.calendar import (
    calendar_delete_day,
    calendar_import,
    calendar_set_day,
)
from qingqian.reference.services.seed import seed_reference_data

pytestmark = pytest.mark.django_db
D = date

# The 2027 schedule is not published yet: a made-up one for the tests.
SCHEDULE_2027 = """date,kind,name
2027-01-01,holiday,New Year's Day
2027-02-05,holiday,Spring Festival
2027-02-06,holiday,Spring Festival
2027-02-07,holiday,Spring Festival
2027-02-08,holiday,Spring Festival
2027-02-09,holiday,Spring Festival
2027-02-10,holiday,Spring Festival
2027-02-11,holiday,Spring Festival
2027-02-20,workday,Spring Festival
"""


def _counts():
    return CalendarDay.objects.count(), CalendarYear.objects.count(), AuditEvent.objects.count()


def test_seed_loaded_every_chinesecalendar_year_as_known():
    years = selectors.calendar_years()
    assert [y.year for y in years] == list(range(2004, 2027))
    assert {y.source for y in years} == {"chinesecalendar 1.11.0"}
    cal = selectors.load_calendar()
    assert cal.exceptions[D(2026, 10, 10)] == WORKDAY
    assert cal.exceptions[D(2026, 10, 7)] == HOLIDAY
    names = {day.date: day.name for day in selectors.calendar_days(2026)}
    assert names[D(2026, 9, 20)] == "National Day"


def test_database_calendar_gives_the_hand_computed_deadline():
    result = compute_deadline(selectors.load_calendar(), D(2026, 9, 30), working_days=10)
    assert result.date == D(2026, 10, 20)


def test_seeding_again_changes_nothing_and_writes_no_event():
    before = _counts()
    result = seed_reference_data(actor=None)
    assert not result.changed
    assert _counts() == before


def test_seeding_restores_a_missing_year_but_keeps_edits():
    CalendarDay.objects.filter(date__year=2005).delete()
    CalendarYear.objects.filter(year=2005).delete()
    calendar_set_day(actor=None, date=D(2026, 10, 9), kind="holiday", name="test")
    events = AuditEvent.objects.count()
    result = seed_reference_data(actor=None)
    assert result.calendar_years == [2005]
    assert AuditEvent.objects.count() == events + 1
    assert AuditEvent.objects.last().verb == "reference.seed"
    assert CalendarDay.objects.get(date=D(2026, 10, 9)).kind == HOLIDAY  # the edit is kept


def test_import_marks_the_year_known_and_deadlines_can_cross_into_it():
    with pytest.raises(UnknownCalendarYear):
        compute_deadline(selectors.load_calendar(), D(2026, 12, 1), working_days=30)
    changed = calendar_import(actor=None, year_rows=parse_schedule_csv(SCHEDULE_2027))
    assert changed == {2027}
    assert CalendarYear.objects.get(year=2027).source == "import"
    assert CalendarDay.objects.filter(date__year=2027).count() == 9
    event = AuditEvent.objects.last()
    assert (event.verb, event.target_id) == ("calendar.import", "2027")
    assert event.payload["changed_years"] == [2027]
    # Dec 2026: 22 working days; 2027: 1-4..1-8 (27), 1-11, 1-12, 1-13 (30)
    deadline = compute_deadline(selectors.load_calendar(), D(2026, 12, 1), working_days=30)
    assert (deadline.date, deadline.provisional) == (D(2027, 1, 13), False)


def test_import_replaces_the_whole_year():
    calendar_import(actor=None, year_rows=[(D(2026, 10, 1), "holiday", "only day")])
    assert list(CalendarDay.objects.filter(date__year=2026).values_list("date", flat=True)) == [
        D(2026, 10, 1)
    ]
    assert selectors.load_calendar().is_workday(D(2026, 10, 10)) is False  # make-up day gone
    assert CalendarDay.objects.filter(date__year=2025).exists()  # other years untouched


def test_reimporting_the_same_schedule_changes_no_year():
    days = [ScheduleDay(d.date, d.kind, d.name) for d in selectors.calendar_days(2026)]
    assert calendar_import(actor=None, year_rows=days, source="again") == set()


def test_import_of_several_years_accepts_tuples_and_mappings():
    changed = calendar_import(
        actor=None,
        year_rows=[
            {"date": D(2027, 1, 1), "kind": "休", "name": "元旦"},
            (D(2028, 1, 1), "holiday"),
        ],
    )
    assert changed == {2027, 2028}
    assert AuditEvent.objects.filter(verb="calendar.import").count() == 1


BAD_ROWS = [
    (D(2027, 1, 1), "holiday", "ok"),
    (D(2027, 1, 6), "workday", "a Wednesday"),
    (D(2027, 1, 1), "holiday", "duplicate"),
    (D(2027, 1, 9), "rest", "bad kind"),
]


def _refused(rows, language):
    with translation.override(language), pytest.raises(ValidationError) as info:
        calendar_import(actor=None, year_rows=rows)
    return info.value.messages


def test_bad_import_writes_nothing_and_names_every_row():
    before = _counts()
    assert _refused(BAD_ROWS, "en") == [
        "Row 4, kind: “rest” is not a kind; write holiday (or 休) for a day off, "
        "workday (or 班) for a weekend day worked"
    ]
    assert _counts() == before
    # without the unparseable row, the cross-row checks report
    assert _refused(BAD_ROWS[:3], "en") == [
        "Row 2, kind: 2027-01-06 is a weekday: a make-up working day must be a Saturday or Sunday",
        "Row 3, date: 2027-01-01 is listed twice (first at row 1)",
    ]
    assert _counts() == before


def test_bad_import_is_refused_in_chinese_naming_row_and_column():
    before = _counts()
    weekday, twice = _refused(BAD_ROWS[:3], "zh-hans")
    assert weekday.startswith("第 2 行，类别：2027-01-06") and "周六或周日" in weekday
    assert twice.startswith("第 3 行，日期：2027-01-01") and "第 1 行" in twice
    assert _counts() == before


def test_a_chinese_header_file_imports():
    text = "\ufeff日期,类别,名称\n2027-10-01,休,国庆节\n2027-10-09,班,国庆节调休\n"
    assert calendar_import(actor=None, year_rows=parse_schedule_csv(text)) == {2027}
    calendar = selectors.load_calendar()
    assert not calendar.is_workday(D(2027, 10, 1)) and calendar.is_workday(D(2027, 10, 9))


def test_empty_import_is_refused():
    assert _refused([], "en") == ["the file has no calendar rows"]
    assert _refused([], "zh-hans") == ["文件中没有日历行"]


def test_set_day_adds_a_holiday_and_reports_the_year():
    changed = calendar_set_day(actor=None, date=D(2026, 10, 9), kind="holiday", name="extra")
    assert changed == {2026}
    assert selectors.load_calendar().is_workday(D(2026, 10, 9)) is False
    event = AuditEvent.objects.last()
    assert event.verb == "calendar.set_day"
    assert event.payload == {
        "date": "2026-10-09",
        "kind": "holiday",
        "name": "extra",
        "previous": None,
    }


def test_set_day_with_no_change_writes_nothing():
    before = _counts()
    assert (
        calendar_set_day(actor=None, date=D(2026, 10, 10), kind=WORKDAY, name="National Day")
        == set()
    )
    assert _counts() == before


def test_renaming_a_day_is_audited_but_changes_no_working_day():
    assert (
        calendar_set_day(actor=None, date=D(2026, 10, 10), kind=WORKDAY, name="国庆调休") == set()
    )
    assert AuditEvent.objects.last().payload["previous"]["name"] == "National Day"


@pytest.mark.parametrize(
    ("kwargs", "field", "english", "chinese"),
    [
        ({"date": D(2027, 1, 1), "kind": "holiday"}, "date", "2027 has no schedule", "2027 年"),
        ({"date": D(2026, 10, 12), "kind": "workday"}, "kind", "Saturday or Sunday", "周六或周日"),
        ({"date": D(2026, 10, 12), "kind": "rest"}, "kind", "“rest” is not a kind", "不是有效类别"),
        ({"date": "2026-10-12", "kind": "holiday"}, "date", "Enter a date", "日期"),
    ],
)
def test_set_day_errors_name_the_field(kwargs, field, english, chinese):
    before = _counts()
    for language, message in (("en", english), ("zh-hans", chinese)):
        with translation.override(language), pytest.raises(ValidationError) as info:
            calendar_set_day(actor=None, **kwargs)
        assert message in " ".join(info.value.message_dict[field])
    assert _counts() == before


def test_delete_day_reverts_to_the_weekly_rule():
    assert calendar_delete_day(actor=None, date=D(2026, 10, 10)) == {2026}
    assert selectors.load_calendar().is_workday(D(2026, 10, 10)) is False  # plain Saturday
    event = AuditEvent.objects.last()
    assert (event.verb, event.payload["kind"]) == ("calendar.delete_day", WORKDAY)


def test_delete_day_without_exception_is_an_error():
    with translation.override("en"), pytest.raises(ValidationError, match="no calendar exception"):
        calendar_delete_day(actor=None, date=D(2026, 10, 12))
    with pytest.raises(ValidationError, match="2026-10-12 没有可删除的节假日安排"):
        calendar_delete_day(actor=None, date=D(2026, 10, 12))


def test_non_administrators_may_not_edit_the_calendar(user):
    with pytest.raises(PermissionDenied):
        calendar_set_day(actor=user("gd-intake"), date=D(2026, 10, 9), kind="holiday")
    with pytest.raises(PermissionDenied):
        calendar_import(actor=user("gd-intake"), year_rows=[(D(2027, 1, 1), "holiday")])


def test_administrator_edit_is_attributed(user):
    admin = user("admin")
    calendar_set_day(actor=admin, date=D(2026, 10, 9), kind="holiday")
    assert AuditEvent.objects.last().actor == admin

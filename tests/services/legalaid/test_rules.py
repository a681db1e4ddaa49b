"""The pure rules of legal aid: which legal service answers, how long it has,
when it is reminded."""

from datetime import date

from qingqian.services.legalaid.rules import (
    answer_working_days,
    covering_provider,
    is_late,
    reminder_due,
)

# Provider 1 covers Guangdong, 2 Guangzhou, 3 Tianhe district, 4 Guangzhou too.
COVERAGE = [(1, "440000"), (2, "440100"), (3, "440106"), (4, "440100")]


def test_the_most_specific_region_wins_a_city_before_its_province():
    assert covering_provider("440106", COVERAGE) == 3
    assert covering_provider("440104", COVERAGE) == 2
    assert covering_provider("440100", COVERAGE) == 2
    assert covering_provider("440300", COVERAGE) == 1


def test_nobody_covers_another_province():
    assert covering_provider("320100", COVERAGE) is None
    assert covering_provider("440300", []) is None


def test_a_tie_goes_to_the_oldest_provider_whatever_the_order():
    assert covering_provider("440104", list(reversed(COVERAGE))) == 2


def test_urgent_requests_are_answered_within_one_working_day_others_three():
    assert answer_working_days("urgent") == 1
    assert answer_working_days("normal") == 3


def test_reminders_fall_on_the_day_before_and_the_day_of_the_deadline():
    due = date(2025, 10, 9)
    assert not reminder_due(date(2025, 10, 7), due)
    assert reminder_due(date(2025, 10, 8), due)
    assert reminder_due(date(2025, 10, 9), due)
    assert not reminder_due(date(2025, 10, 10), due)


def test_late_only_after_the_deadline_day():
    due = date(2025, 10, 9)
    assert not is_late(due, due)
    assert is_late(date(2025, 10, 10), due)

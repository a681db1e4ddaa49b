"""The answer deadline follows the calendar: a holiday added later moves the
deadline of a request still waiting, not that of one already answered."""

from datetime import date

import pytest

from qingqian.reference.services.calendar import calendar_set_day
from qingqian.services.legalaid import services
from qingqian.services.legalaid.deadlines import recompute_open_answers
from tests.services.legalaid.aid import submit

pytestmark = pytest.mark.django_db


def test_a_holiday_added_later_moves_a_waiting_deadline_only(user):
    waiting, answered = submit(user("sme-demo")), submit(user("sme-demo"))
    services.aid_request_accept(actor=user("gd-legal"), aid=answered, on=date(2025, 10, 10))
    assert waiting.answer_due_on == date(2025, 10, 11)
    # Thursday 9 October becomes a holiday: Fri 10, the make-up Sat 11, Mon 13.
    calendar_set_day(actor=user("admin"), date=date(2025, 10, 9), kind="holiday", name="test")
    waiting.refresh_from_db()
    answered.refresh_from_db()
    assert waiting.answer_due_on == date(2025, 10, 13)
    assert "2025-09-30" in waiting.answer_due_rule
    assert answered.answer_due_on == date(2025, 10, 11)
    assert recompute_open_answers({2025}) == 0  # nothing left to move

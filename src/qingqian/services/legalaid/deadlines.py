"""The answer deadline of a legal aid request, computed on the database calendar
and moved when the calendar changes while the request waits for its answer (the
answer freezes it, as it freezes the overdue flag)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from qingqian.core.selectors import load_calendar
from qingqian.core.workdays import Deadline, compute_deadline
from qingqian.services.legalaid import rules
from qingqian.services.models import AidRequest


def answer_deadline(aid: AidRequest) -> Deadline:
    return compute_deadline(
        load_calendar(),
        aid.submitted_on,
        working_days=rules.answer_working_days(aid.urgency),
        allow_provisional=True,
    )


def apply_answer_deadline(aid: AidRequest) -> None:
    due = answer_deadline(aid)
    aid.answer_due_on, aid.answer_due_rule = due.date, due.rule
    aid.answer_due_provisional = due.provisional


@transaction.atomic
def recompute_open_answers(changed_years) -> int:
    """A calendar change hook (settings.QINGQIAN_CALENDAR_CHANGE_HOOKS): move the
    deadline of every request still waiting whose dates touch a changed year, or
    that was provisional; a flag of lateness the new date no longer bears is
    lifted. Returns how many moved."""
    changed_years, today, moved = set(changed_years), timezone.localdate(), 0
    waiting = AidRequest.objects.select_for_update().filter(state=AidRequest.State.REQUESTED)
    for aid in waiting:
        years = set(range(aid.submitted_on.year, aid.answer_due_on.year + 2))
        if not aid.answer_due_provisional and not years & changed_years:
            continue
        before = (aid.answer_due_on, aid.answer_due_provisional)
        apply_answer_deadline(aid)
        if (aid.answer_due_on, aid.answer_due_provisional) != before:
            aid.overdue = aid.overdue and rules.is_late(today, aid.answer_due_on)
            aid.save(
                update_fields=[
                    "answer_due_on",
                    "answer_due_rule",
                    "answer_due_provisional",
                    "overdue",
                ]
            )
            moved += 1
    return moved

"""Statutory clocks of a complaint, kept as Deadline rows.

A clock is `count` working days or calendar days after `start_on` (counted
from the next day, Civil Code Art. 201), lengthened by the units it spent
paused. Its due date comes from the one deadline function of core.workdays,
with provisional dates for years whose official schedule is not entered yet;
those are recomputed whenever the calendar changes. A clock is frozen met or
breached when its stage ends.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.complaints import events as complaint_events
from qingqian.complaints.models import Deadline
from qingqian.complaints.transitions import CLOCK_TRANSITIONS
from qingqian.core import events, figures_version
from qingqian.core.messages import deadline_rule_label
from qingqian.core.selectors import load_calendar
from qingqian.core.workdays import Calendar, compute_deadline

WORKING_DAYS = "working_days"
DAYS = "days"
FIXED_DATE = "date"  # a due date set by a person (a supervision order)

REVIEW_WORKING_DAYS = 10  # MIIT measures: accept or not within 10 working days of receipt
TRANSFER_WORKING_DAYS = 10  # Regulations 2025 Art. 24: transfer within 10 working days
HANDLING_DAYS = 30  # handling within 30 days of receiving the materials
HANDLING_MAX_DAYS = 90  # extension: 90 days at most in total


def _due(calendar: Calendar, deadline: Deadline):
    kwargs = {
        "working_days" if deadline.unit == WORKING_DAYS else "days": deadline.count
        + deadline.paused_days
    }
    return compute_deadline(calendar, deadline.start_on, allow_provisional=True, **kwargs)


def _apply(deadline: Deadline, calendar: Calendar) -> None:
    if deadline.unit == FIXED_DATE:
        return
    result = _due(calendar, deadline)
    deadline.due_on, deadline.rule, deadline.provisional = (
        result.date,
        result.rule,
        result.provisional,
    )


def rule_label(deadline: Deadline) -> str:
    """How the due date was reached, in the current language."""
    if deadline.unit == FIXED_DATE:
        return _("Due date set by the supervision order of %(start)s.") % {
            "start": deadline.start_on.isoformat()
        }
    total = deadline.count + deadline.paused_days
    unit = "working_days" if deadline.unit == WORKING_DAYS else "days"
    label = deadline_rule_label(deadline.start_on, deadline.due_on, **{unit: total})
    if deadline.paused_days:
        label += " " + _("Of these, %(paused)s were added for the time the clock was paused.") % {
            "paused": deadline.paused_days
        }
    return label


def start(
    complaint,
    stage: str,
    start_on: date,
    *,
    unit: str,
    count: int,
    due_on: date | None = None,
    rule: str = "",
    organisation=None,
) -> Deadline:
    deadline = Deadline(
        complaint=complaint,
        organisation=organisation,
        stage=stage,
        start_on=start_on,
        unit=unit,
        count=count,
        due_on=due_on or start_on,
        rule=rule,
    )
    _apply(deadline, load_calendar())
    deadline.save()
    return deadline


def start_review(complaint, on: date) -> Deadline:
    return start(
        complaint,
        Deadline.Stage.REVIEW,
        on,
        unit=WORKING_DAYS,
        count=REVIEW_WORKING_DAYS,
        organisation=complaint.accepting_authority,
    )


def start_transfer(complaint, on: date) -> Deadline:
    return start(
        complaint,
        Deadline.Stage.TRANSFER,
        on,
        unit=WORKING_DAYS,
        count=TRANSFER_WORKING_DAYS,
        organisation=complaint.accepting_authority,
    )


def start_handling(complaint, on: date) -> Deadline:
    return start(
        complaint,
        Deadline.Stage.HANDLING,
        on,
        unit=DAYS,
        count=HANDLING_DAYS,
        organisation=complaint.handling_department,
    )


def running(complaint, stage: str) -> Deadline | None:
    return complaint.deadlines.filter(
        stage=stage, status__in=[Deadline.Status.OPEN, Deadline.Status.PAUSED]
    ).last()


def end(complaint, stage: str, on: date, *, by: str) -> Deadline | None:
    """Freeze the stage's clock: met if the stage ended on or before the due
    date. `by` is the action that ended it (the figures count only the proper one)."""
    deadline = running(complaint, stage)
    if deadline is None:
        return None
    if deadline.status == Deadline.Status.PAUSED:
        resume(deadline, on)
    deadline.ended_on, deadline.ended_by = on, by
    _move(deadline, "meet" if on <= deadline.due_on else "breach")
    deadline.save()
    _publish_clock(complaint_events.CLOCK_FROZEN, deadline, complaint)
    return deadline


def end_all(complaint, on: date, *, by: str) -> None:
    for deadline in complaint.deadlines.filter(
        status__in=[Deadline.Status.OPEN, Deadline.Status.PAUSED]
    ):
        end(complaint, deadline.stage, on, by=by)


def reopen(deadline: Deadline) -> None:
    """A stage that comes back (a transfer returned as "not ours") keeps its original clock.

    Its due date is computed again: calendar changes made while it was frozen
    did not touch it (recompute only moves running clocks). The freeze is
    taken out of the figures again."""
    status = CLOCK_TRANSITIONS.next_state(deadline.status, "reopen")
    _publish_clock(complaint_events.CLOCK_REOPENED, deadline, deadline.complaint)  # as frozen
    deadline.status, deadline.ended_on, deadline.ended_by = status, None, ""
    _apply(deadline, load_calendar())
    deadline.save()


def _move(deadline: Deadline, action: str) -> None:
    """Change the clock's status as its table says (ForbiddenTransition otherwise)."""
    deadline.status = CLOCK_TRANSITIONS.next_state(deadline.status, action)


def _publish_clock(event_name: str, deadline: Deadline, complaint) -> None:
    events.publish(
        event_name,
        complaint_id=complaint.pk,
        deadline_id=deadline.pk,
        stage=str(deadline.stage),
        status=str(deadline.status),
        ended_by=deadline.ended_by,
        start_on=deadline.start_on,
        ended_on=deadline.ended_on,
        organisation_id=deadline.organisation_id,
        region_code=complaint.debtor_region_code,
        debtor_type=complaint.debtor_type,
    )


def pause(deadline: Deadline, on: date) -> None:
    _move(deadline, "pause")
    deadline.paused_since = on
    deadline.save()


def resume(deadline: Deadline, on: date) -> None:
    """Lengthen the clock by the units that passed while it was paused."""
    calendar = load_calendar().with_provisional()
    paused = (on - deadline.paused_since).days
    if deadline.unit == WORKING_DAYS:
        paused = sum(
            1
            for offset in range(1, paused + 1)
            if calendar.is_workday(date.fromordinal(deadline.paused_since.toordinal() + offset))
        )
    deadline.paused_days += paused
    _move(deadline, "resume")
    deadline.paused_since = None
    _apply(deadline, load_calendar())
    deadline.save()


def extend_handling(deadline: Deadline, total_days: int, on: date | None = None) -> Deadline:
    """Lengthen the handling clock to `total_days` on `on` (today by default); returns
    the clock that runs on.

    An extension granted after the due date cannot erase the breach: the clock is
    frozen breached on that day (ended by the extension) and the extended period
    runs on a new clock from the same receipt."""
    on = on or timezone.localdate()
    if deadline.status == Deadline.Status.OPEN and on > deadline.due_on:
        end(deadline.complaint, deadline.stage, on, by="extend")
        late, deadline = (
            deadline,
            start(
                deadline.complaint,
                deadline.stage,
                deadline.start_on,
                unit=deadline.unit,
                count=deadline.count,
                organisation=deadline.organisation,
            ),
        )
        deadline.paused_days = late.paused_days
    _move(deadline, "extend")
    deadline.count = total_days
    _apply(deadline, load_calendar())
    deadline.save()
    return deadline


def recompute_open_deadlines(changed_years) -> int:
    """After a calendar change: move every running clock whose dates touch a
    changed year, or that was provisional. Returns how many moved."""
    changed_years = set(changed_years)
    calendar = load_calendar()
    moved = 0
    for deadline in (
        Deadline.objects.filter(status__in=[Deadline.Status.OPEN, Deadline.Status.PAUSED])
        .exclude(unit=FIXED_DATE)
        .select_related("complaint")
    ):
        years = set(range(deadline.start_on.year, deadline.due_on.year + 2))
        if not deadline.provisional and not years & changed_years:
            continue
        before = (deadline.due_on, deadline.provisional)
        _apply(deadline, calendar)
        if (deadline.due_on, deadline.provisional) != before:
            deadline.save(update_fields=["due_on", "rule", "provisional"])
            moved += 1
    if moved:
        figures_version.bump()  # running-late clocks are public figures
    return moved


def working_days_left(deadline: Deadline, today: date, calendar: Calendar | None = None) -> int:
    """Positive: working days until due; negative: days overdue (calendar days)."""
    if today > deadline.due_on:
        return -(today - deadline.due_on).days
    calendar = (calendar or load_calendar()).with_provisional()
    return sum(
        1
        for offset in range(1, (deadline.due_on - today).days + 1)
        if calendar.is_workday(date.fromordinal(today.toordinal() + offset))
    )

"""The complaint as one reader may see it: the read model behind the detail
page and the API's detail and history, so that who sees what is decided once.

Labels and layout stay with the channels; this module answers what there is
to show (amounts in fen, clocks, history with the names and notes this reader
may see, similar complaints, the actions open to them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from django.utils import timezone

from qingqian.accounts.models import Role
from qingqian.complaints import evidence, selectors, validation
from qingqian.complaints.models import Complaint, ComplaintEvent, Deadline, State
from qingqian.complaints.services.acting import may_act
from qingqian.complaints.transitions import allowed_actions
from qingqian.core.selectors import load_calendar
from qingqian.ledger import selectors as ledger_selectors

NOTICE_STATES = frozenset({State.RESOLVED, State.CLOSED})


@dataclass(frozen=True)
class Amounts:
    owed_fen: int | None
    paid_fen: int
    outstanding_fen: int | None  # None while the amount owed is not known


@dataclass(frozen=True)
class DeadlineRow:
    deadline: Deadline
    days_left: int | None  # in the clock's unit (`deadline.unit`); None when not running

    @property
    def days_overdue(self) -> int | None:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else None


@dataclass(frozen=True)
class NextDue:
    """A complaint's running clock due first, as a work queue shows it."""

    stage: str
    due_on: date
    unit: str  # the clock's unit: "working_days" (review, transfer) or "days" (handling)
    days_left: int  # in `unit` until the due date; 0 on the day itself
    days_overdue: int  # calendar days past the due date (0 when not overdue)

    @property
    def stage_label(self) -> str:
        return Deadline.Stage(self.stage).label


def next_due(complaint: Complaint, today: date, calendar) -> NextDue | None:
    """From a complaint annotated by `selectors.with_next_due`: days left counted
    in the clock's own unit, as its due date was; days overdue in calendar days,
    as the reminders and the detail page count them."""
    due_on = getattr(complaint, "next_due_on", None)
    if due_on is None:
        return None
    unit = complaint.next_due_unit
    if today > due_on:
        return NextDue(complaint.next_stage, due_on, unit, 0, (today - due_on).days)
    return NextDue(complaint.next_stage, due_on, unit, days_left(due_on, unit, today, calendar), 0)


def days_left(due_on: date, unit: str, today: date, calendar) -> int:
    """Days until `due_on` in a clock's unit: working days (review, transfer) or
    calendar days (handling); negative: calendar days overdue."""
    if today > due_on or unit != "working_days":
        return (due_on - today).days
    working = calendar.with_provisional()
    return sum(
        1
        for offset in range(1, (due_on - today).days + 1)
        if working.is_workday(today + timedelta(days=offset))
    )


def complaint_view_for(*, actor, complaint: Complaint) -> ComplaintView:
    """`complaint` comes from the actor's scoping selector (or is the result of
    their own act, which they see even if it left their scope)."""
    return ComplaintView(actor, complaint)


def is_overdue(deadline: Deadline, today: date) -> bool:
    """A paused clock is not running: as in the list filter and the dashboards."""
    return deadline.status == Deadline.Status.OPEN and deadline.due_on < today


class ComplaintView:
    """Each part is read when first asked for, so a channel pays only for what it shows."""

    def __init__(self, actor, complaint: Complaint):
        self.actor, self.complaint = actor, complaint
        self.visibility = selectors.history_visibility(actor)
        self.shows_contact = selectors.shows_complainant_contact(actor)
        self.shows_size_warning = complaint.size_warning and actor.is_official
        self.shows_notice = complaint.state in NOTICE_STATES
        self.may_edit = complaint.state == State.DRAFT and complaint.created_by_id == actor.pk

    @cached_property
    def amounts(self) -> Amounts:
        owed, paid = self.complaint.amount_owed_fen, self.complaint.amount_paid_fen or 0
        return Amounts(owed, paid, owed - paid if owed is not None else None)

    @cached_property
    def deadlines(self) -> list[DeadlineRow]:
        today, calendar = timezone.localdate(), load_calendar()
        return [
            DeadlineRow(deadline, _days_left(deadline, today, calendar))
            for deadline in self.complaint.deadlines.all()
        ]

    @cached_property
    def history(self) -> list[ComplaintEvent]:
        """The events this reader may read, each annotated with `actor_name` (""
        when they may not see who acted); `internal_note` is blank unless they
        may see the officials' notes."""
        events = selectors.complaint_history(actor=self.actor, complaint=self.complaint)
        history = list(events.select_related("actor__organisation"))
        for event in history:
            event.actor_name = selectors.actor_name_for(self.actor, event.actor)
            if not self.visibility.internal_notes:
                event.internal_note = ""
        return history

    @cached_property
    def similar(self):
        """Open complaints against the same debtor, for the intake officer's eye."""
        if self.actor.role != Role.INTAKE or self.complaint.debtor_id is None:
            return []
        visible = selectors.complaint_list(actor=self.actor).values("pk")
        return validation.similar_open_complaints(self.complaint).filter(pk__in=visible)

    @cached_property
    def actions(self) -> list[str]:
        """What this reader may do now, in the order of the transition table."""
        return [
            action
            for action in allowed_actions(self.complaint.state, self.actor.role)
            if may_act(self.actor, self.complaint, action)
        ]

    @cached_property
    def may_add_evidence(self) -> bool:
        return evidence.may_add_evidence(self.actor, self.complaint)

    @cached_property
    def ledger_item(self):
        return ledger_selectors.item_for_complaint(actor=self.actor, complaint=self.complaint)


def _days_left(deadline: Deadline, today: date, calendar) -> int | None:
    if deadline.status != Deadline.Status.OPEN:
        return None
    return days_left(deadline.due_on, deadline.unit, today, calendar)

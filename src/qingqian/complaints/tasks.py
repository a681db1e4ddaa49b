"""Background work of the complaint workflow (django-tasks): notification
delivery, and the deadline reminder and escalation job.

The reminder job looks at every running (open, not paused) Deadline:

* `due-soon`: N working days or fewer before the due date
  (`settings.QINGQIAN_REMINDER_WORKING_DAYS`, default 2), to the people
  responsible for the stage: intake officers of the accepting authority for
  review and transfer; handlers of the handling department for handling and
  supervision orders;
* `breached`: the day after the due date, to the same people and, as
  escalation, to the supervisors of the supervising level (the accepting
  authority's parent and the national authority).

Each reminder is keyed per deadline, kind and due date (`deadline:<id>:<kind>:<due>`),
so running the job again sends nothing twice, while a due date that moves
(an extension, a calendar change) earns a fresh reminder. `breached_deadlines`
is the queryable breached flag that the supervision dashboard will read.

Run it once with `qingqian reminders` (cron), or let `qingqian worker` (and the
demo) enqueue `send_deadline_reminders_task` on a timer.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from qingqian.accounts.models import Organisation, Role, User
from qingqian.complaints import notify as complaint_notify
from qingqian.complaints import verbs
from qingqian.complaints.deadlines import working_days_left
from qingqian.complaints.models import OPEN_STATES, Deadline
from qingqian.core import audit
from qingqian.core.selectors import load_calendar

DUE_SOON, BREACHED = "due-soon", "breached"
INTAKE_STAGES = frozenset({Deadline.Stage.REVIEW, Deadline.Stage.TRANSFER})


@task()
def deliver_event_notifications_task(event_id: int) -> int:
    return complaint_notify.deliver_event_notifications(event_id)


@task()
def send_deadline_reminders_task(on: str | None = None) -> dict:
    report = send_deadline_reminders(on=date.fromisoformat(on) if on else None)
    return report.as_dict()


@dataclass
class ReminderReport:
    on: date
    due_soon: int = 0  # deadlines that earned a due-soon reminder in this run
    breached: int = 0  # deadlines that earned a breach notice in this run
    notifications: int = 0

    def as_dict(self) -> dict:
        return {**asdict(self), "on": self.on.isoformat()}


# --- the queryable flags -------------------------------------------------------


def running_deadlines() -> QuerySet[Deadline]:
    return Deadline.objects.filter(
        status=Deadline.Status.OPEN, complaint__state__in=OPEN_STATES
    ).select_related(
        "complaint__accepting_authority__parent",
        "complaint__handling_department",
        "complaint__debtor",
    )


def breached_deadlines(on: date | None = None) -> QuerySet[Deadline]:
    """Running clocks past their due date: what the supervising level must see."""
    return running_deadlines().filter(due_on__lt=on or timezone.localdate())


# --- the job ---------------------------------------------------------------------


def send_deadline_reminders(
    *, on: date | None = None, working_days_before: int | None = None
) -> ReminderReport:
    """Send every reminder that is due on `on` (default today) and not sent yet."""
    on = on or timezone.localdate()
    before = (
        settings.QINGQIAN_REMINDER_WORKING_DAYS
        if working_days_before is None
        else working_days_before
    )
    report = ReminderReport(on=on)
    calendar = load_calendar()
    with translation.override(settings.LANGUAGE_CODE):
        for deadline in breached_deadlines(on):
            _remind(deadline, BREACHED, on, report, left=None)
        horizon = on + timedelta(days=before * 2 + 21)  # no holiday run is longer
        for deadline in running_deadlines().filter(due_on__gte=on, due_on__lte=horizon):
            left = working_days_left(deadline, on, calendar)
            if left <= before:
                _remind(deadline, DUE_SOON, on, report, left=left)
    if report.notifications:
        _record_run(report)
    return report


def _remind(deadline: Deadline, kind: str, on: date, report: ReminderReport, *, left) -> None:
    from qingqian.notifications.services import notify

    subject, body = reminder_texts(deadline, kind, left)
    key = f"deadline:{deadline.pk}:{kind}:{deadline.due_on.isoformat()}"
    url = reverse("complaint-detail", args=[deadline.complaint_id])
    sent = sum(
        1
        for user in reminder_recipients(deadline, kind)
        if notify(recipient=user, dedup_key=key, subject=subject, body=body, url=url)
    )
    if sent:
        report.notifications += sent
        if kind == BREACHED:
            report.breached += 1
        else:
            report.due_soon += 1


@transaction.atomic
def _record_run(report: ReminderReport) -> None:
    audit.record(
        actor=None,
        verb=verbs.DEADLINES_REMINDED,
        target=("complaints.deadline", report.on.isoformat()),
        payload=report.as_dict(),
    )


# --- who and what ----------------------------------------------------------------


def reminder_recipients(deadline: Deadline, kind: str) -> list[User]:
    complaint = deadline.complaint
    if deadline.stage in INTAKE_STAGES:
        who = Q(role=Role.INTAKE, organisation_id=complaint.accepting_authority_id)
    elif complaint.handling_department_id:
        who = Q(
            role=Role.HANDLER,
            organisation__path__startswith=complaint.handling_department.path,
        )
    else:
        who = Q(pk__in=[])
    if kind == BREACHED:
        who |= Q(role=Role.SUPERVISOR, organisation__in=supervising_level(complaint))
    return list(User.objects.filter(who, is_active=True).order_by("pk"))


def supervising_level(complaint) -> list[Organisation]:
    """The accepting authority's parent and the national authority (both, or the one)."""
    national = Organisation.objects.filter(kind=Organisation.Kind.NATIONAL_AUTHORITY)
    parents = [complaint.accepting_authority.parent] if complaint.accepting_authority else []
    return [org for org in [*parents, *national] if org is not None]


def reminder_texts(deadline: Deadline, kind: str, left: int | None) -> tuple[str, str]:
    values = {
        "number": deadline.complaint.tracking_number or str(deadline.complaint_id),
        "stage": Deadline.Stage(deadline.stage).label,
        "due": deadline.due_on.isoformat(),
        "left": left,
    }
    if kind == BREACHED:
        subject = _("Complaint %(number)s: deadline missed (%(stage)s)") % values
        body = (
            _(
                'The deadline "%(stage)s" of complaint %(number)s was due on %(due)s and has '
                "passed. The supervising level has been told."
            )
            % values
        )
    else:
        subject = _("Complaint %(number)s: due on %(due)s (%(stage)s)") % values
        body = (
            _(
                'The deadline "%(stage)s" of complaint %(number)s falls due on %(due)s, '
                "in %(left)s working days."
            )
            % values
        )
    if deadline.provisional:
        body += " " + _(
            "The date is provisional: the working-day schedule of that year is not entered yet."
        )
    return subject, body

"""Background work of supervision cases: reminders before a case's deadline and
breach notices after it.

Every open case due within `DUE_SOON_WORKING_DAYS` working days earns a
`due-soon` reminder; every open case past its due date a `breached` notice.
Both go to the supervised organisation's people and to the supervisor who
opened the case. Each message is keyed per case, kind and due date
(`supervision-case:<id>:<kind>:<due>`), so running the job again sends nothing
twice, while a due date that moves (a calendar change) earns a fresh one.

`qingqian worker` (and the demo) enqueue `case_reminders_task` on the same
timer as the complaint deadline reminders.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from qingqian.accounts.models import User
from qingqian.complaints.deadlines import working_days_left
from qingqian.core.selectors import load_calendar
from qingqian.supervision import verbs
from qingqian.supervision.cases.notifications import subject_label
from qingqian.supervision.cases.permissions import supervised_people
from qingqian.supervision.models import SupervisionCase
from qingqian.supervision.reminders import record_reminder_run, with_provisional_note

DUE_SOON, BREACHED = "due-soon", "breached"
DUE_SOON_WORKING_DAYS = 3


@task()
def case_reminders_task(on: str | None = None) -> int:
    return send_case_reminders(date.fromisoformat(on) if on else None)


def send_case_reminders(day: date | None = None) -> int:
    """Send every case reminder due on `day` (default today) not sent yet; returns
    how many messages went out."""
    day = day or timezone.localdate()
    calendar = load_calendar()
    sent = 0
    open_cases = SupervisionCase.objects.filter(state=SupervisionCase.State.OPEN).select_related(
        "department", "debtor", "opened_by"
    )
    with translation.override(settings.LANGUAGE_CODE):
        for case in open_cases.filter(due_on__lt=day):
            sent += _remind(case, BREACHED, None)
        horizon = day + timedelta(days=DUE_SOON_WORKING_DAYS * 2 + 21)  # no holiday is longer
        for case in open_cases.filter(due_on__gte=day, due_on__lte=horizon):
            left = working_days_left(case, day, calendar)
            if left <= DUE_SOON_WORKING_DAYS:
                sent += _remind(case, DUE_SOON, left)
    if sent:
        record_reminder_run(
            verb=verbs.CASES_REMIND, target_type="supervision.supervisioncase", day=day, sent=sent
        )
    return sent


def reminder_recipients(case: SupervisionCase) -> list[User]:
    people = {user.pk: user for user in supervised_people(case)}
    if case.opened_by.is_active:
        people.setdefault(case.opened_by_id, case.opened_by)
    return [people[pk] for pk in sorted(people)]


def _remind(case: SupervisionCase, kind: str, left: int | None) -> int:
    from qingqian.notifications.services import notify

    subject, body = reminder_texts(case, kind, left)
    key = f"supervision-case:{case.pk}:{kind}:{case.due_on.isoformat()}"
    url = reverse("supervision:case", args=[case.pk])
    return sum(
        1
        for user in reminder_recipients(case)
        if notify(recipient=user, dedup_key=key, subject=subject, body=body, url=url)
    )


def reminder_texts(case: SupervisionCase, kind: str, left: int | None) -> tuple[str, str]:
    values = {
        "title": case.title,
        "subject": subject_label(case),
        "due": case.due_on.isoformat(),
        "left": left,
    }
    if kind == BREACHED:
        subject = _("Supervision case overdue: %(title)s") % values
        body = (
            _("The supervision case concerning %(subject)s was due on %(due)s and is still open.")
            % values
        )
    else:
        subject = _("Supervision case due on %(due)s: %(title)s") % values
        body = (
            _(
                "The supervision case concerning %(subject)s falls due on %(due)s, in "
                "%(left)s working days."
            )
            % values
        )
    return subject, with_provisional_note(body, case.due_provisional)

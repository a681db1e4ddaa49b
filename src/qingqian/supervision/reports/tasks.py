"""Background work of the periodic information reports: generation and reminders.

`generate_due_reports` makes, for every active definition, the reports of the
last completed period (already there: nothing happens). `remind_late_reports`
tells the people who report for a province that its draft is past due; each
message is keyed per report and due date, so running the job again sends
nothing twice, while a due date that moves earns a fresh one.

`qingqian worker` (and the demo) enqueue `reports_task` on the reminders' timer.
"""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from qingqian.core.region_selectors import region_name
from qingqian.supervision import verbs
from qingqian.supervision.models import ProvincialReport, ReportDefinition
from qingqian.supervision.reminders import record_reminder_run, with_provisional_note
from qingqian.supervision.reports import figures as report_figures
from qingqian.supervision.reports.services import reporters, reports_generate

logger = logging.getLogger(__name__)


@task()
def reports_task(day: str | None = None) -> dict:
    on = date.fromisoformat(day) if day else None
    return {"generated": generate_due_reports(on), "reminders": remind_late_reports(on)}


def generate_due_reports(on: date | None = None) -> int:
    """The reports of each active definition's last completed period; returns how
    many were created."""
    on = on or timezone.localdate()
    created = 0
    for definition in ReportDefinition.objects.filter(active=True).order_by("code"):
        start, _end = report_figures.period_of_report(definition.frequency, on)
        try:
            created += reports_generate(
                actor=None, definition=definition, period_start=start, on=on
            )
        except ValidationError:  # a misconfigured definition must not stop the others
            logger.exception("could not generate the reports of %s", definition.code)
    return created


def remind_late_reports(on: date | None = None) -> int:
    """Tell each late province (draft past its due date) once per due date;
    returns how many messages went out."""
    on = on or timezone.localdate()
    sent = 0
    late = ProvincialReport.objects.filter(
        state=ProvincialReport.State.DRAFT, due_on__lt=on
    ).select_related("definition")
    with translation.override(settings.LANGUAGE_CODE):
        for report in late.order_by("due_on", "pk"):
            with transaction.atomic():
                sent += _remind(report)
        if sent:
            record_reminder_run(
                verb=verbs.REPORTS_REMIND,
                target_type="supervision.provincialreport",
                day=on,
                sent=sent,
            )
    return sent


def _remind(report: ProvincialReport) -> int:
    from qingqian.notifications.services import notify

    subject, body = reminder_texts(report)
    key = f"supervision-report:{report.pk}:late:{report.due_on.isoformat()}"
    return sum(
        1
        for user in reporters(report.province_code)
        if notify(recipient=user, dedup_key=key, subject=subject, body=body, url=report_url(report))
    )


def report_url(report: ProvincialReport) -> str:
    try:
        return reverse("supervision:report", args=[report.pk])
    except NoReverseMatch:  # the pages are not mounted (an API-only deployment)
        return ""


def reminder_texts(report: ProvincialReport) -> tuple[str, str]:
    values = {
        "report": str(report.definition),
        "period": f"{report.period_start:%Y-%m-%d} – {report.period_end:%Y-%m-%d}",
        "province": region_name(report.province_code) or report.province_code,
        "due": report.due_on.isoformat(),
    }
    subject = _("Report overdue: %(report)s, %(period)s") % values
    body = (
        _(
            "The report %(report)s of %(province)s for %(period)s was due on %(due)s and is "
            "not submitted yet. Check the figures and submit it."
        )
        % values
    )
    return subject, with_provisional_note(body, report.due_provisional)

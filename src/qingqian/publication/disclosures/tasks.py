"""Reminders of the annual disclosures.

Each period names how many working days before its due date the bodies that
have not filed are reminded, and how many after it; the dates are counted on
the working-day calendar (provisional where a year's schedule is not entered
yet). A representative is told once per period and reminder (the message is
keyed by both), so running the job again, or daily, sends nothing twice.
Reminders after the due date stop a year after it: an old period's missing
filers are the authority's list, not a weekly message.

`qingqian reminders` (and the worker's timer, through `publication.tasks`) run
`send_disclosure_reminders`.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qingqian.accounts.models import Role, User
from qingqian.core import audit
from qingqian.core.selectors import load_calendar
from qingqian.notifications.services import notify
from qingqian.publication.disclosures import rules, verbs
from qingqian.publication.models import Disclosure, DisclosurePeriod
from qingqian.publication.models.disclosures import FILER_TYPES

AFTER_DUE_FOR = timedelta(days=365)


def send_disclosure_reminders(on: date | None = None) -> int:
    """Remind the representatives of bodies that have not filed; returns how many messages."""
    on = on or timezone.localdate()
    calendar = load_calendar().with_provisional()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for period in DisclosurePeriod.objects.filter(opens_on__lte=on).order_by("year", "pk"):
            before, after = rules.reminder_dates(
                calendar,
                period.due_on,
                before=period.remind_before_working_days,
                after=period.remind_after_working_days,
            )
            if before <= on <= period.due_on:
                which = "before"
            elif after <= on <= period.due_on + AFTER_DUE_FOR:
                which = "after"
            else:
                continue
            with transaction.atomic():
                sent += _remind(period, which)
        if sent:
            with transaction.atomic():
                audit.record(
                    actor=None,
                    verb=verbs.REMIND,
                    target=("publication.disclosureperiod", on.isoformat()),
                    payload={"on": on.isoformat(), "notifications": sent},
                )
    return sent


def unfiled_representatives(period: DisclosurePeriod):
    """The active representatives of the period's bodies that have not filed for it."""
    filed = Disclosure.objects.filter(period=period, enterprise=OuterRef("enterprise"))
    return (
        User.objects.filter(
            is_active=True,
            role=Role.DEBTOR,
            enterprise__type__in=FILER_TYPES[period.filer_group],
        )
        .exclude(Exists(filed))
        .order_by("pk")
    )


def _remind(period: DisclosurePeriod, which: str) -> int:
    values = {"year": period.year, "due": period.due_on.isoformat()}
    if which == "before":
        subject = _("Annual disclosure for %(year)d due on %(due)s") % values
        body = (
            _(
                "Your body's disclosure of overdue SME payments for %(year)d is due on %(due)s. "
                "The platform has prefilled the figures from the ledger."
            )
            % values
        )
    else:
        subject = _("Annual disclosure for %(year)d is overdue") % values
        body = (
            _(
                "Your body's disclosure of overdue SME payments for %(year)d was due on %(due)s "
                "and is not filed. File it now: it will show as late."
            )
            % values
        )
    try:
        url = reverse("disclosures:file", args=[period.pk])
    except NoReverseMatch:
        url = ""
    key = f"disclosure:{period.pk}:{which}:{period.due_on.isoformat()}"
    return sum(
        1
        for user in unfiled_representatives(period)
        if notify(recipient=user, dedup_key=key, subject=subject, body=body, url=url)
    )

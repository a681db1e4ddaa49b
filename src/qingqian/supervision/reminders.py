"""What the supervision reminder jobs (cases, reports) share: the note on a
provisional due date and the audit record of one day's run."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from qingqian.core import audit


def with_provisional_note(body: str, provisional: bool) -> str:
    """The reminder's text, saying so when its due date is provisional."""
    if not provisional:
        return body
    return (
        body
        + " "
        + _("The date is provisional: the working-day schedule of that year is not entered yet.")
    )


@transaction.atomic
def record_reminder_run(*, verb: str, target_type: str, day: date, sent: int) -> None:
    """One audit event per day's run, naming how many notifications it sent."""
    audit.record(
        actor=None,
        verb=verb,
        target=(target_type, day.isoformat()),
        payload={"on": day.isoformat(), "notifications": sent},
    )

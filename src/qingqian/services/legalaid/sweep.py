"""The daily sweep of legal aid: requests still waiting for an answer are
reminded on the day before and on the day of their deadline, and flagged
overdue (once) the day after. Safe to run twice on the same day: the flag is
set once and each reminder is keyed by its request and deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from qingqian.core import audit
from qingqian.services.legalaid import rules, verbs
from qingqian.services.legalaid.notifications import TO_PROVIDER, answerers, authorities, send_now
from qingqian.services.models import AidRequest


@dataclass(frozen=True)
class SweepReport:
    reminders: int
    flagged: int


@transaction.atomic
def aid_requests_sweep(*, on: date | None = None) -> SweepReport:
    day = on or timezone.localdate()
    waiting = (
        AidRequest.objects.select_for_update(of=("self",))
        .filter(state=AidRequest.State.REQUESTED)
        .select_related("enterprise", "provider")
    )
    reminders = flagged = 0
    for aid in waiting:
        if rules.is_late(day, aid.answer_due_on):
            flagged += _flag_overdue(aid)
        elif rules.reminder_due(day, aid.answer_due_on):
            key = f"legal-aid:{aid.pk}:remind:{aid.answer_due_on}"
            reminders += send_now(aid, TO_PROVIDER["remind"], answerers(aid), key)
    return SweepReport(reminders=reminders, flagged=flagged)


def _flag_overdue(aid: AidRequest) -> int:
    if aid.overdue:
        return 0
    aid.overdue = True
    aid.save(update_fields=["overdue"])
    audit.record(
        actor=None,
        verb=verbs.AID_REQUEST_OVERDUE,
        target=aid,
        payload={"due": aid.answer_due_on.isoformat()},
    )
    people = {user.pk: user for user in answerers(aid) + authorities(aid)}
    key = f"legal-aid:{aid.pk}:overdue:{aid.answer_due_on}"
    send_now(aid, TO_PROVIDER["overdue"], list(people.values()), key)
    return 1

"""Referring a defaulting body for accountability, and recording the answer.

Only agencies, public institutions and state-owned enterprises are held
accountable this way (the law's words); supervisors who manage findings refer
within their jurisdiction, from a supervision case or a finding of the body.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core import audit
from qingqian.core.scoping import scope_for
from qingqian.core.selectors import load_calendar
from qingqian.core.workdays import compute_deadline
from qingqian.parties.models import Enterprise
from qingqian.publication import verbs
from qingqian.publication.models import Finding, Referral
from qingqian.supervision.models import SupervisionCase

ACCOUNTABLE_TYPES = frozenset(
    {Enterprise.Type.AGENCY, Enterprise.Type.INSTITUTION, Enterprise.Type.STATE_OWNED}
)
MAX_WORKING_DAYS = 60


def may_refer(actor, body: Enterprise) -> bool:
    return (
        actor is not None
        and actor.is_authenticated
        and actor.is_official
        and has_perm(actor, Perm.FINDINGS_MANAGE)
        and scope_for(actor).covers_region(body.region_code)
    )


@transaction.atomic
def referral_send(
    *,
    actor,
    origin: SupervisionCase | Finding,
    referred_to: str,
    to_discipline_organs: bool,
    facts: str,
    response_working_days: int,
    on: date | None = None,
) -> Referral:
    body = origin.debtor if isinstance(origin, SupervisionCase) else origin.enterprise
    if body is None:
        raise ValidationError({"origin": _("Refer from a case or a finding about a debtor.")})
    if not may_refer(actor, body):
        raise PermissionDenied(_("You may not refer this body."))
    errors = {}
    if body.type not in ACCOUNTABLE_TYPES:
        errors["origin"] = _(
            "Only agencies, public institutions and state-owned enterprises are referred for "
            "accountability."
        )
    if not referred_to.strip():
        errors["referred_to"] = _("Name the superior or supervising department.")
    if not facts.strip():
        errors["facts"] = _("State the facts of the default.")
    if not 1 <= response_working_days <= MAX_WORKING_DAYS:
        errors["response_working_days"] = _("Between 1 and 60 working days.")
    if errors:
        raise ValidationError(errors)
    day = on or timezone.localdate()
    due = compute_deadline(
        load_calendar(), day, working_days=response_working_days, allow_provisional=True
    )
    referral = Referral.objects.create(
        body=body,
        case=origin if isinstance(origin, SupervisionCase) else None,
        finding=origin if isinstance(origin, Finding) else None,
        referred_to=referred_to.strip(),
        to_discipline_organs=to_discipline_organs,
        facts=facts.strip(),
        referred_by=actor,
        referred_on=day,
        response_working_days=response_working_days,
        response_due_on=due.date,
        response_due_rule=due.rule,
    )
    audit.record(
        actor=actor,
        verb=verbs.REFERRAL_SEND,
        target=referral,
        payload={"body": body.uscc, "to": referral.referred_to, "due": due.date.isoformat()},
    )
    return referral


@transaction.atomic
def referral_answer(
    *, actor, referral: Referral, outcome: str, text: str, on: date | None = None
) -> Referral:
    """The answer of the department referred to, as recorded by the supervisor."""
    referral = Referral.objects.select_for_update().select_related("body").get(pk=referral.pk)
    if not may_refer(actor, referral.body):
        raise PermissionDenied(_("You may not record the answer to this referral."))
    if referral.state != Referral.State.SENT:
        raise ValidationError({"outcome": _("The answer is already recorded.")})
    errors = {}
    if outcome not in Referral.Outcome.values:
        errors["outcome"] = _("Choose what was done.")
    if not text.strip():
        errors["text"] = _("Record the answer.")
    if errors:
        raise ValidationError(errors)
    referral.outcome, referral.outcome_text = outcome, text.strip()
    referral.answered_on = on or timezone.localdate()
    referral.state = Referral.State.ANSWERED
    referral.save()
    audit.record(
        actor=actor, verb=verbs.REFERRAL_ANSWER, target=referral, payload={"outcome": outcome}
    )
    return referral


def referral_reminders(on: date | None = None) -> int:
    """The referrer is told, once, of each referral whose answer is overdue."""
    from qingqian.notifications.services import notify

    day = on or timezone.localdate()
    overdue = Referral.objects.filter(
        state=Referral.State.SENT, response_due_on__lt=day
    ).select_related("body", "referred_by")
    sent = 0
    for referral in overdue:
        body = _("The answer of %(to)s on the referral of %(body)s was due on %(due)s.") % {
            "to": referral.referred_to,
            "body": referral.body.name,
            "due": referral.response_due_on.isoformat(),
        }
        with transaction.atomic():
            sent += bool(
                notify(
                    recipient=referral.referred_by,
                    dedup_key=f"referral:{referral.pk}:overdue",
                    subject=body[:200],
                    body=body,
                    url=reverse("referral-detail", args=[referral.pk]),
                )
            )
    return sent

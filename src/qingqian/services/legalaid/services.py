"""Legal aid and consulting, one audited service per act.

An SME bound to its enterprise asks; the request goes to the legal service that
covers its region most specifically (rules.covering_provider), or waits for the
SME authority of its region to assign it. The legal service answers (accepts or
declines) within working days counted on the database calendar, sets an
appointment and records the outcome; the SME rates it once. A daily sweep
reminds the legal service before the answer deadline and flags late answers.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.accounts.models import Organisation, Role
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core import audit
from qingqian.core.regions import is_valid_region_code
from qingqian.core.scoping import scope_for
from qingqian.services.legalaid import rules, selectors, verbs
from qingqian.services.legalaid.deadlines import apply_answer_deadline
from qingqian.services.legalaid.notifications import notify_step
from qingqian.services.legalaid.transitions import AID_TRANSITIONS, OFFICIAL, PROVIDER, SME
from qingqian.services.models import AidRequest

TEXT_MAX = 5000


# --- who may act -----------------------------------------------------------------


def standing(actor, aid: AidRequest) -> str | None:
    """SME, PROVIDER, OFFICIAL or None: the actor's place towards this request."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return None
    if actor.role == Role.SME and has_perm(actor, Perm.LEGAL_AID_REQUEST):
        return SME if actor.enterprise_id == aid.enterprise_id else None
    if actor.role == Role.ADVISER and has_perm(actor, Perm.LEGAL_AID_PROVIDE):
        assigned = aid.provider_id is not None and actor.organisation_id == aid.provider_id
        return PROVIDER if assigned else None
    if actor.is_official and has_perm(actor, Perm.LEGAL_AID_OVERSEE):
        return OFFICIAL if scope_for(actor).covers_region(aid.region_code) else None
    return None


def _begin(actor, aid: AidRequest, action: str) -> AidRequest:
    aid = AidRequest.objects.select_for_update().select_related("enterprise").get(pk=aid.pk)
    if standing(actor, aid) not in AID_TRANSITIONS[action].roles:
        raise PermissionDenied(_("You may not take this step on this request."))
    if not AID_TRANSITIONS.allowed(aid.state, action):
        raise ValidationError(
            {
                "state": _("This step is not possible now: the request is %(state)s.")
                % {"state": aid.get_state_display()}
            }
        )
    return aid


def _finish(actor, aid: AidRequest, action: str, verb: str, payload: dict) -> AidRequest:
    aid.state = AID_TRANSITIONS.next_state(aid.state, action)
    aid.save()
    audit.record(actor=actor, verb=verb, target=aid, payload=payload)
    notify_step(aid, action, actor)
    return aid


def _text(value: str, field: str, message: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: message})
    if len(value) > TEXT_MAX:
        raise ValidationError({field: _("At most 5,000 characters.")})
    return value


def _today(on: date | None) -> date:
    return on or timezone.localdate()


# --- the SME's acts ----------------------------------------------------------------


@transaction.atomic
def aid_request_submit(
    *,
    actor,
    kind: str,
    topic: str,
    description: str,
    region_code: str,
    urgency: str,
    complaint=None,
    ledger_item=None,
    on: date | None = None,
) -> AidRequest:
    """An SME bound to its enterprise asks for legal aid or consulting; a linked
    complaint or ledger item must be its enterprise's own."""
    if actor.role != Role.SME or not has_perm(actor, Perm.LEGAL_AID_REQUEST):
        raise PermissionDenied(_("Only SME users ask for legal aid."))
    if actor.enterprise_id is None:
        raise PermissionDenied(_("Your account is not yet bound to your enterprise."))
    errors = _request_errors(actor, kind, topic, region_code, urgency, complaint, ledger_item)
    try:
        description = _text(description, "description", _("Describe what you need help with."))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    provider_id = rules.covering_provider(region_code, selectors.coverage_pairs())
    aid = AidRequest(
        enterprise_id=actor.enterprise_id,
        requested_by=actor,
        kind=kind,
        topic=topic,
        description=description,
        region_code=region_code,
        urgency=urgency,
        complaint=complaint,
        ledger_item=ledger_item,
        provider_id=provider_id,
        submitted_on=_today(on),
    )
    apply_answer_deadline(aid)
    aid.save()
    audit.record(
        actor=actor,
        verb=verbs.AID_REQUEST_SUBMIT,
        target=aid,
        payload={
            "provider": provider_id,
            "due": aid.answer_due_on.isoformat(),
            "rule": aid.answer_due_rule,
        },
    )
    notify_step(aid, "submit", actor)
    return aid


def _request_errors(actor, kind, topic, region_code, urgency, complaint, ledger_item) -> dict:
    errors = {}
    for field, value, choices in (
        ("kind", kind, AidRequest.Kind),
        ("topic", topic, AidRequest.Topic),
        ("urgency", urgency, AidRequest.Urgency),
    ):
        if value not in choices.values:
            errors[field] = _("Choose one of the options.")
    province = actor.enterprise.region_code[:2]
    if not is_valid_region_code(region_code) or not region_code.startswith(province):
        errors["region_code"] = _("Choose a region in your enterprise's province.")
    if complaint is not None and complaint.complainant_id != actor.enterprise_id:
        errors["complaint"] = _("Link one of your enterprise's own complaints.")
    if ledger_item is not None and ledger_item.creditor_id != actor.enterprise_id:
        errors["ledger_item"] = _("Link one of your enterprise's own ledger items.")
    return errors


@transaction.atomic
def aid_request_withdraw(*, actor, aid: AidRequest) -> AidRequest:
    aid = _begin(actor, aid, "withdraw")
    return _finish(actor, aid, "withdraw", verbs.AID_REQUEST_WITHDRAW, {})


@transaction.atomic
def aid_request_rate(*, actor, aid: AidRequest, rating: int, comment: str = "") -> AidRequest:
    """Once completed, once: 1 (poor) to 5 (excellent)."""
    aid = _begin(actor, aid, "rate")
    if aid.rating is not None:
        raise ValidationError({"rating": _("This request is already rated.")})
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Rate from 1 to 5.")})
    aid.rating = rating
    aid.rating_comment = _text(comment, "comment", "", required=False)
    return _finish(actor, aid, "rate", verbs.AID_REQUEST_RATE, {"rating": rating})


# --- the legal service's acts ------------------------------------------------------


@transaction.atomic
def aid_request_accept(*, actor, aid: AidRequest, on: date | None = None) -> AidRequest:
    aid = _begin(actor, aid, "accept")
    _answered(aid, _today(on))
    return _finish(actor, aid, "accept", verbs.AID_REQUEST_ACCEPT, {"late": aid.overdue})


@transaction.atomic
def aid_request_decline(
    *, actor, aid: AidRequest, reason: str, on: date | None = None
) -> AidRequest:
    aid = _begin(actor, aid, "decline")
    aid.decline_reason = _text(reason, "reason", _("Say why the request is declined."))
    _answered(aid, _today(on))
    return _finish(actor, aid, "decline", verbs.AID_REQUEST_DECLINE, {"late": aid.overdue})


def _answered(aid: AidRequest, day: date) -> None:
    """The answer freezes the overdue flag: late or in time, for good."""
    aid.answered_on = day
    aid.overdue = rules.is_late(day, aid.answer_due_on)


@transaction.atomic
def aid_appointment_set(
    *, actor, aid: AidRequest, at: datetime | None, place: str, note: str = ""
) -> AidRequest:
    """The appointment (set again to move it): when, in person or online, and a
    note (the address or the link)."""
    aid = _begin(actor, aid, "appointment")
    errors = {}
    if at is None:
        errors["at"] = _("Enter the date and time of the appointment.")
    elif at < timezone.now():
        errors["at"] = _("The appointment must be in the future.")
    if place not in AidRequest.Place.values:
        errors["place"] = _("Choose one of the options.")
    if errors:
        raise ValidationError(errors)
    aid.appointment_at, aid.appointment_place = at, place
    aid.appointment_note = _text(note, "note", "", required=False)
    return _finish(
        actor, aid, "appointment", verbs.AID_APPOINTMENT_SET, {"at": at.isoformat(), "place": place}
    )


@transaction.atomic
def aid_outcome_record(
    *, actor, aid: AidRequest, outcome: str, on: date | None = None
) -> AidRequest:
    aid = _begin(actor, aid, "outcome")
    aid.outcome = _text(outcome, "outcome", _("Describe the advice given or the outcome."))
    aid.completed_on = _today(on)
    return _finish(actor, aid, "outcome", verbs.AID_OUTCOME_RECORD, {})


# --- the authority's acts ----------------------------------------------------------


@transaction.atomic
def aid_request_assign(*, actor, aid: AidRequest, provider: Organisation | None) -> AidRequest:
    """An official of the region hands a waiting request to a legal service of the
    province (one that no legal service covered, or to another one)."""
    aid = _begin(actor, aid, "assign")
    if (
        provider is None
        or not selectors.legal_services_near(aid.region_code).filter(pk=provider.pk).exists()
    ):
        raise ValidationError({"provider": _("Choose an active legal service of the province.")})
    before = aid.provider_id
    aid.provider = provider
    return _finish(
        actor, aid, "assign", verbs.AID_REQUEST_ASSIGN, {"from": before, "to": provider.pk}
    )

"""Receivable confirmation, one audited service per act.

An SME user of a bound account asks a debtor to confirm an amount; the debtor
answers within 30 days of the request (Regulations 2020 Art. 14 / 2025 Art. 16),
counted from the next day and moved off a holiday by the calendar (Civil Code
Art. 201/203). Every event's target is the request and its payload names both
parties, so each side's trail shows it.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.core import audit
from qingqian.core.selectors import load_calendar
from qingqian.core.workdays import Deadline, compute_deadline
from qingqian.ledger.rules import check_parties, check_terms
from qingqian.parties import services as party_services
from qingqian.parties.models import Enterprise
from qingqian.services.confirmations import verbs
from qingqian.services.confirmations.ledger_outcome import record_answer_in_ledger
from qingqian.services.confirmations.links import link_token, token_hash
from qingqian.services.confirmations.notices import notify_step
from qingqian.services.confirmations.standing import may_request, standing
from qingqian.services.confirmations.transitions import (
    CONFIRMATION_TRANSITIONS,
    DEBTOR,
    SME,
    answer_action,
)
from qingqian.services.models import ConfirmationRequest

S = ConfirmationRequest.State
Channel = ConfirmationRequest.Channel
ANSWER_DAYS = 30  # Regulations 2025 Art. 16 (2020 Art. 14)
REMINDER_DAYS = 7  # the debtor is reminded from this many days before the due date
TEXT_MAX = 1000
ANSWER_ACTIONS = frozenset({"confirm", "confirm-part", "dispute"})  # told to the SME as "answer"


def answer_due(requested_on: date) -> Deadline:
    return compute_deadline(load_calendar(), requested_on, days=ANSWER_DAYS, allow_provisional=True)


def _today(on: date | None) -> date:
    return on or timezone.localdate()


def _parties(request: ConfirmationRequest) -> dict:
    return {
        "sme": request.sme.uscc,
        "debtor": request.debtor.uscc,
        "contract_number": request.contract_number,
    }


def _note(value: str, field: str) -> str:
    value = (value or "").strip()
    if len(value) > TEXT_MAX:
        raise ValidationError({field: _("At most 1,000 characters.")})
    return value


# --- the SME's acts -------------------------------------------------------------------


@transaction.atomic
def confirmation_request_send(
    *,
    actor,
    debtor: Enterprise | dict,
    contract_number: str,
    contract_signed_on: date,
    due_on: date,
    amount_fen: int,
    subject: str = "",
    note: str = "",
    on: date | None = None,
) -> ConfirmationRequest:
    """The request, addressed to a known debtor or to one registered from its
    particulars (credit code, name, type, region code)."""
    if not may_request(actor):
        raise PermissionDenied(_("Only the users of a bound SME account may ask for confirmation."))
    sme = actor.enterprise
    contract_number = (contract_number or "").strip()
    errors = _request_errors(contract_number, amount_fen, contract_signed_on, due_on, subject)
    debtor = _debtor_of(actor, debtor, errors)
    if debtor is not None:
        errors.update(_party_errors(debtor, sme, contract_signed_on, contract_number))
    if errors:
        raise ValidationError(errors)
    day = _today(on)
    due = answer_due(day)
    request = ConfirmationRequest.objects.create(
        sme=sme,
        requested_by=actor,
        debtor=debtor,
        contract_number=contract_number,
        contract_signed_on=contract_signed_on,
        subject=subject,
        due_on=due_on,
        amount_fen=amount_fen,
        note=_note(note, "note"),
        requested_on=day,
        answer_due_on=due.date,
        answer_due_rule=due.rule,
        answer_due_provisional=due.provisional,
    )
    request.link_token_hash = token_hash(link_token(request))
    request.save(update_fields=["link_token_hash"])
    payload = {**_parties(request), "amount_fen": amount_fen, "due": due.date, "rule": due.rule}
    audit.record(actor=actor, verb=verbs.SEND, target=request, payload=payload)
    notify_step(request, "send", actor)
    return request


def _request_errors(contract_number, amount_fen, signed_on, due_on, subject) -> dict:
    errors = {}
    if not contract_number:
        errors["contract_number"] = _("Enter the contract number.")
    if not isinstance(amount_fen, int) or amount_fen <= 0:
        errors["amount_fen"] = _("Enter the amount to confirm: more than zero.")
    try:
        check_terms(signed_on, due_on, subject)
    except ValidationError as error:
        errors.update(error.message_dict)
    return errors


def _debtor_of(actor, debtor: Enterprise | dict, errors: dict) -> Enterprise | None:
    if isinstance(debtor, Enterprise):
        return debtor
    try:
        return party_services.enterprise_find_or_register_debtor(actor=actor, **debtor)
    except ValidationError as error:
        errors["debtor"] = error.messages
        return None


def _party_errors(debtor: Enterprise, sme: Enterprise, signed_on: date, contract: str) -> dict:
    if debtor.pk == sme.pk:
        return {"debtor": _("Your own enterprise cannot be the debtor.")}
    try:
        check_parties(debtor, sme, signed_on=signed_on)
    except ValidationError as error:
        return error.message_dict
    awaiting = ConfirmationRequest.objects.filter(
        sme=sme, debtor=debtor, contract_number=contract, state__in=[S.REQUESTED, S.LAPSED]
    )
    if awaiting.exists():
        return {"contract_number": _("A request for this contract already awaits its answer.")}
    return {}


@transaction.atomic
def confirmation_request_withdraw(
    *, actor, request: ConfirmationRequest, on: date | None = None
) -> ConfirmationRequest:
    request = _begin(actor, request, "withdraw", SME)
    request.withdrawn_on = _today(on)
    _forget_link(request)
    return _finish(actor, request, "withdraw", verbs.WITHDRAW, {})


# --- the debtor's answer --------------------------------------------------------------


@transaction.atomic
def confirmation_answer(
    *,
    actor,
    request: ConfirmationRequest,
    confirmed_fen: int,
    disputed_fen: int,
    reason: str = "",
    token: str = "",
    answerer_name: str = "",
    on: date | None = None,
) -> ConfirmationRequest:
    """The debtor confirms, partly confirms or disputes the amount asked: a
    representative on the platform, or (actor None) whoever holds the request's
    one-time link, who gives their name. The ledger item of the contract takes
    the split; an answer after the due date is recorded as a breach."""
    day = _today(on)
    request = _lock(request)
    channel = _answer_channel(actor, request, token, day)
    _check_answer(request, confirmed_fen, disputed_fen, reason, answerer_name, channel)
    action = answer_action(confirmed_fen, disputed_fen)
    _require_edge(request, action)
    request.confirmed_fen, request.disputed_fen = confirmed_fen, disputed_fen
    request.dispute_reason = _note(reason, "reason") if disputed_fen else ""
    request.answered_by = actor
    request.answerer_name = (answerer_name or actor.get_full_name() or actor.username)[:100]
    request.answered_on, request.answered_at = day, timezone.now()
    request.answer_channel = channel
    request.breached = request.breached or day > request.answer_due_on
    _forget_link(request)
    request.ledger_item = record_answer_in_ledger(request, answerer=actor)
    payload = {
        "confirmed_fen": confirmed_fen,
        "disputed_fen": disputed_fen,
        "channel": channel,
        "late": request.breached,
        "ledger_item": request.ledger_item.pk,
    }
    return _finish(actor, request, action, verbs.ANSWER, payload)


def _answer_channel(actor, request: ConfirmationRequest, token: str, day: date) -> str:
    if actor is not None:
        if standing(actor, request) != DEBTOR:
            raise PermissionDenied(_("Only the debtor's representatives answer this request."))
        return Channel.PLATFORM
    link_works = (
        token
        and request.link_token_hash == token_hash(token)
        and request.state == S.REQUESTED
        and day <= request.answer_due_on
    )
    if not link_works:
        raise PermissionDenied(_("This link has been used or has expired."))
    return Channel.LINK


def _check_answer(request, confirmed_fen, disputed_fen, reason, answerer_name, channel) -> None:
    errors = {}
    for field, value in (("confirmed_fen", confirmed_fen), ("disputed_fen", disputed_fen)):
        if not isinstance(value, int) or value < 0:
            errors[field] = _("Enter an amount of zero or more.")
    if not errors and confirmed_fen + disputed_fen != request.amount_fen:
        errors["disputed_fen"] = _(
            "The confirmed and the disputed amounts must add up to the amount asked."
        )
    if isinstance(disputed_fen, int) and disputed_fen > 0 and not (reason or "").strip():
        errors["reason"] = _("Give the reason for the dispute.")
    if channel == Channel.LINK and not (answerer_name or "").strip():
        errors["answerer_name"] = _("Give your name and position.")
    if errors:
        raise ValidationError(errors)


# --- the daily job --------------------------------------------------------------------


@transaction.atomic
def confirmation_requests_sweep(*, on: date | None = None) -> dict:
    """Requests unanswered past their due date lapse, breached (the SME and the
    supervising authority are told); the debtors of requests due within
    REMINDER_DAYS are reminded, once per due date. Safe to run again."""
    day = _today(on)
    overdue = _locked().filter(state=S.REQUESTED, answer_due_on__lt=day)
    lapsed = 0
    for request in overdue:
        request.breached = True
        _forget_link(request)
        _finish(None, request, "lapse", verbs.LAPSE, {"due": request.answer_due_on})
        lapsed += 1
    soon = ConfirmationRequest.objects.select_related("sme", "debtor").filter(
        state=S.REQUESTED,
        answer_due_on__gte=day,
        answer_due_on__lte=day + timedelta(days=REMINDER_DAYS),
    )
    reminded = 0
    for request in soon:
        notify_step(request, "remind")
        reminded += 1
    return {"confirmation_requests_lapsed": lapsed, "confirmation_reminders": reminded}


def recompute_open_requests(changed_years) -> int:
    """After a calendar change (a hook of core's calendar services): move the due
    date of every request still awaiting its answer whose clock touches a changed
    year, or that was provisional. Returns how many moved."""
    changed_years = set(changed_years)
    moved = 0
    for request in _locked().filter(state=S.REQUESTED):
        years = set(range(request.requested_on.year, request.answer_due_on.year + 2))
        if not request.answer_due_provisional and not years & changed_years:
            continue
        due = answer_due(request.requested_on)
        if (due.date, due.provisional) == (request.answer_due_on, request.answer_due_provisional):
            continue
        before = request.answer_due_on
        request.answer_due_on, request.answer_due_rule = due.date, due.rule
        request.answer_due_provisional = due.provisional
        request.save(update_fields=["answer_due_on", "answer_due_rule", "answer_due_provisional"])
        payload = {**_parties(request), "before": before, "due": due.date, "rule": due.rule}
        audit.record(actor=None, verb=verbs.DUE_RECOMPUTED, target=request, payload=payload)
        moved += 1
    return moved


# --- the machinery --------------------------------------------------------------------


def _locked():
    return ConfirmationRequest.objects.select_for_update(of=("self",)).select_related(
        "sme", "debtor"
    )


def _lock(request: ConfirmationRequest) -> ConfirmationRequest:
    return _locked().get(pk=request.pk)


def _begin(actor, request: ConfirmationRequest, action: str, who: str) -> ConfirmationRequest:
    request = _lock(request)
    if standing(actor, request) != who:
        raise PermissionDenied(_("You may not take this step on this request."))
    _require_edge(request, action)
    return request


def _require_edge(request: ConfirmationRequest, action: str) -> None:
    if not CONFIRMATION_TRANSITIONS.allowed(request.state, action):
        raise ValidationError(
            {
                "state": _("This step is not possible now: the request is %(state)s.")
                % {"state": request.get_state_display()}
            }
        )


def _finish(actor, request, action: str, verb: str, payload: dict) -> ConfirmationRequest:
    request.state = CONFIRMATION_TRANSITIONS.next_state(request.state, action)
    request.save()
    payload = {**_parties(request), "state": request.state, **payload}
    audit.record(actor=actor, verb=verb, target=request, payload=payload)
    notify_step(request, "answer" if action in ANSWER_ACTIONS else action, actor)
    return request


def _forget_link(request: ConfirmationRequest) -> None:
    """A request no longer awaiting its answer has no one-time link."""
    request.link_token_hash = ""  # nosec B105 # no hash is kept, not a password

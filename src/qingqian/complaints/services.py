"""Audited writes of complaints: drafts, submission, and one service per workflow action.

Every action: lock the row, check the version the caller saw, check the
transition table and the actor's right, validate, change state, keep the
deadlines, append a history event and an audit event, and notify on commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.accounts.models import Organisation, Role
from qingqian.complaints import deadlines, evidence, routing, selectors
from qingqian.complaints import events as complaint_events
from qingqian.complaints.errors import ComplaintConflict, StaleVersion
from qingqian.complaints.evidence import EvidenceFile
from qingqian.complaints.models import (
    Complaint,
    ComplaintEvent,
    Deadline,
    NotAcceptedGround,
    ResultKind,
    State,
    TrackingCounter,
)
from qingqian.complaints.transitions import TRANSITIONS
from qingqian.complaints.validation import validate_draft_fields, validate_for_submission
from qingqian.core import audit, events
from qingqian.core.messages import yuan
from qingqian.core.sizeclass import SizeClassError, classify
from qingqian.ledger.services import ComplaintContract, ledger_sync_complaint

Stage = Deadline.Stage
DRAFT_FIELDS = frozenset(
    {
        "channel",
        "debtor",
        "debtor_as_entered",
        "contract_number",
        "contract_signed_on",
        "subject",
        "delivered_on",
        "payment_due_on",
        "amount_owed_fen",
        "amount_paid_fen",
        "request_text",
        "facts_text",
        "undertaking",
        "sme_notified_at_signing",
    }
)


def today() -> date:
    return timezone.localdate()


# --- drafts and submission ---------------------------------------------------


@transaction.atomic
def complaint_create_draft(*, actor, complainant, **fields) -> Complaint:
    """An SME starts a complaint for itself; an intake officer records one
    received by phone, letter, fax or visit on an SME's behalf."""
    _require_may_file(actor, complainant)
    validate_draft_fields(fields, DRAFT_FIELDS)
    complaint = Complaint.objects.create(complainant=complainant, created_by=actor, **fields)
    _record(
        complaint,
        actor,
        "create-draft",
        "",
        State.DRAFT,
        details={"channel": complaint.channel},
        day=today(),
    )
    return complaint


@transaction.atomic
def complaint_update_draft(
    *, actor, complaint: Complaint, version: int | None = None, **fields
) -> Complaint:
    complaint = _lock(complaint)
    if complaint.state != State.DRAFT:
        raise ComplaintConflict(_("Only a draft can be edited."))
    _require_may_file(actor, complaint.complainant)
    if version is not None and version != complaint.version:
        raise StaleVersion()
    validate_draft_fields(fields, DRAFT_FIELDS)
    if fields.get("debtor"):
        fields["debtor_as_entered"] = {}  # a named debtor supersedes what was typed
    changed = {
        k: [str(getattr(complaint, k)), str(v)]
        for k, v in fields.items()
        if getattr(complaint, k) != v
    }
    for name, value in fields.items():
        setattr(complaint, name, value)
    complaint.version += 1  # a submission on the version seen before this edit is stale
    complaint.save()
    audit.record(
        actor=actor, verb="complaint.update-draft", target=complaint, payload={"changed": changed}
    )
    return complaint


@transaction.atomic
def complaint_submit(
    *, actor, complaint: Complaint, version: int | None = None, on: date | None = None
) -> Complaint:
    complaint = _begin(actor, complaint, "submit", version)
    return _submit(actor, complaint, on or today())


@transaction.atomic
def complaint_file(
    *, actor, complainant, submit: bool, files: Sequence[EvidenceFile] = (), **fields
) -> Complaint:
    """A complaint filed in one go, with its evidence files as (name, bytes) pairs,
    whichever channel it came through: a draft with its files, or, when asked, a
    submission followed by its files, with no draft written before it. A refusal,
    of the complaint or of any file, writes nothing."""
    if not submit:
        complaint = complaint_create_draft(actor=actor, complainant=complainant, **fields)
    else:
        _require_may_file(actor, complainant)
        validate_draft_fields(fields, DRAFT_FIELDS)
        complaint = Complaint(complainant=complainant, created_by=actor, **fields)
        _check(actor, complaint, "submit")
        complaint = _submit(actor, complaint, today())
    evidence.evidence_add_all(actor=actor, complaint=complaint, files=files)
    return complaint


def _submit(actor, complaint: Complaint, on: date) -> Complaint:
    """Submit a locked draft, or a new complaint not saved yet."""
    _require_may_file(actor, complaint.complainant)
    validate_for_submission(complaint, on=on)
    _classify_size(complaint)
    authority = routing.accepting_authority(complaint.complainant, complaint.debtor)
    if authority is None:
        raise ValidationError(
            {"debtor": _("No authority accepts complaints for the debtor's region yet.")}
        )
    complaint.accepting_authority = authority
    complaint.province_code = authority.region_code
    complaint.debtor_region_code = complaint.debtor.region_code
    complaint.debtor_type = complaint.debtor.type
    complaint.tracking_number = _next_tracking_number(authority.region_code, on.year)
    complaint.submitted_on = on
    complaint = _finish(
        actor,
        complaint,
        "submit",
        State.SUBMITTED,
        details={
            "tracking_number": complaint.tracking_number,
            "channel": complaint.channel,
            "accepting_authority": authority.pk,
            "size_class": complaint.size_class,
            "size_warning": complaint.size_warning,
        },
        on=on,
    )
    deadlines.start_review(complaint, on)
    return complaint


def _classify_size(complaint: Complaint) -> None:
    """The size class on the signing date (the law's test); an official sees a warning when
    the facts say "not an SME" or are missing, but the complaint is still recorded."""
    sme = complaint.complainant
    try:
        result = classify(
            sme.industry or "other",
            sme.staff,
            sme.revenue_wan,
            sme.assets_wan,
            complaint.contract_signed_on,
        )
    except (SizeClassError, TypeError) as error:
        complaint.size_class, complaint.size_reason, complaint.size_warning = "", str(error), True
        complaint.size_basis = {
            "error": getattr(error, "code", "invalid_number"),
            "measure": getattr(error, "measure", None),
        }
        return
    complaint.size_class, complaint.size_reason = result.size, result.reason
    complaint.size_basis = {
        "standard": result.standard,
        "industry": result.industry,
        "steps": [step.as_dict() for step in result.steps],
    }
    complaint.size_warning = result.size == "large"


def _next_tracking_number(province_code: str, year: int) -> str:
    """QQ-<year>-<accepting province>-<sequence>: no gaps per province and year,
    because the counter row stays locked until the submission commits. One
    statement creates the year's counter or advances it and returns the number."""
    table = TrackingCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (province_code, year, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (province_code, year) DO UPDATE SET last = {table}.last + 1 "
            "RETURNING last",  # nosec B608 # table name from _meta; values are bound parameters
            [province_code, year],
        )
        (sequence,) = cursor.fetchone()
    return f"QQ-{year}-{province_code}-{sequence:06d}"


# --- workflow actions ----------------------------------------------------------


@transaction.atomic
def complaint_request_material(*, actor, complaint, note: str, version=None, on=None) -> Complaint:
    on = on or today()
    complaint = _begin(actor, complaint, "request-material", version)
    _require_text(note, "note", _("Say which material is missing."))
    deadlines.pause(deadlines.running(complaint, Stage.REVIEW), on)
    return _finish(actor, complaint, "request-material", State.AWAITING_MATERIAL, note=note, on=on)


@transaction.atomic
def complaint_resubmit(*, actor, complaint, note: str = "", version=None, on=None) -> Complaint:
    on = on or today()
    complaint = _begin(actor, complaint, "resubmit", version)
    deadlines.resume(deadlines.running(complaint, Stage.REVIEW), on)
    return _finish(actor, complaint, "resubmit", State.SUBMITTED, note=note, on=on)


@transaction.atomic
def complaint_accept(*, actor, complaint, note: str = "", version=None, on=None) -> Complaint:
    on = on or today()
    complaint = _begin(actor, complaint, "accept", version)
    deadlines.end(complaint, Stage.REVIEW, on, by="accept")
    complaint.accepted_on = on
    deadlines.start_transfer(complaint, on)
    return _finish(actor, complaint, "accept", State.ACCEPTED, note=note, on=on)


@transaction.atomic
def complaint_not_accept(
    *, actor, complaint, ground: str, note: str, version=None, on=None
) -> Complaint:
    on = on or today()
    complaint = _begin(actor, complaint, "not-accept", version)
    _require_choice(
        ground, NotAcceptedGround, "ground", _("Choose one of the grounds for not accepting.")
    )
    _require_text(note, "note", _("Explain the decision to the complainant."))
    deadlines.end(complaint, Stage.REVIEW, on, by="not-accept")
    complaint.not_accepted_ground = ground
    return _finish(
        actor,
        complaint,
        "not-accept",
        State.NOT_ACCEPTED,
        note=note,
        details={"ground": ground},
        on=on,
    )


@transaction.atomic
def complaint_transfer(
    *, actor, complaint, department: Organisation, note: str = "", version=None, on=None
) -> Complaint:
    on = on or today()
    complaint = _begin(actor, complaint, "transfer", version)
    if department is None or department.kind != Organisation.Kind.HANDLING_DEPARTMENT:
        raise ValidationError({"department": _("Choose a handling department.")})
    if (
        not department.path.startswith(complaint.accepting_authority.path)
        and complaint.accepting_authority.kind != Organisation.Kind.NATIONAL_AUTHORITY
    ):
        raise ValidationError(
            {"department": _("The department is outside the accepting authority's area.")}
        )
    deadlines.end(complaint, Stage.TRANSFER, on, by="transfer")
    complaint.handling_department, complaint.received_on = department, on
    deadlines.start_handling(complaint, on)
    return _finish(
        actor,
        complaint,
        "transfer",
        State.TRANSFERRED,
        note=note,
        details={"department": department.pk, "department_name": department.name},
        on=on,
    )


@transaction.atomic
def complaint_return(
    *, actor, complaint, reason: str, suggested_department: str = "", version=None, on=None
) -> Complaint:
    """The department says "not ours": back to the accepting authority, whose
    original transfer clock keeps running."""
    on = on or today()
    complaint = _begin(actor, complaint, "return", version)
    _require_text(reason, "reason", _("Give the reason for returning the complaint."))
    handling = deadlines.running(complaint, Stage.HANDLING)
    if handling:
        handling.delete()  # the handling clock never really started for this department
    transfer = complaint.deadlines.filter(stage=Stage.TRANSFER).last()
    if transfer:
        deadlines.reopen(transfer)
    returned_from = complaint.handling_department
    complaint.handling_department, complaint.received_on = None, None
    return _finish(
        actor,
        complaint,
        "return",
        State.ACCEPTED,
        note=reason,
        department=returned_from,
        details={
            "returned_from": returned_from.name if returned_from else "",
            "suggested_department": suggested_department,
        },
        on=on,
    )


@transaction.atomic
def complaint_debtor_response(
    *,
    actor,
    complaint,
    confirmed_fen: int,
    disputed_fen: int,
    note: str = "",
    version=None,
    on=None,
) -> Complaint:
    complaint = _begin(actor, complaint, "debtor-response", version)
    errors = {}
    for name, value in (("confirmed_fen", confirmed_fen), ("disputed_fen", disputed_fen)):
        if not isinstance(value, int) or value < 0:
            errors[name] = _("Enter an amount of zero or more.")
    if not errors and confirmed_fen + disputed_fen == 0:
        errors["confirmed_fen"] = _("Enter the confirmed or the disputed amount.")
    if not errors:
        errors = _response_within_claim(complaint, confirmed_fen, disputed_fen)
    if errors:
        raise ValidationError(errors)
    complaint = _finish(
        actor,
        complaint,
        "debtor-response",
        State.IN_HANDLING,
        note=note,
        details={"confirmed_fen": confirmed_fen, "disputed_fen": disputed_fen},
        on=on,
    )
    ledger_sync_complaint(
        actor=actor, contract=ledger_contract(complaint), disputed_fen=disputed_fen
    )
    return complaint


def ledger_contract(complaint: Complaint) -> ComplaintContract:
    """The complaint's contract as the ledger keeps it."""
    return ComplaintContract(
        complaint_id=complaint.pk,
        tracking_number=complaint.tracking_number or "",
        accepting_authority=complaint.accepting_authority,
        debtor=complaint.debtor,
        complainant=complaint.complainant,
        contract_number=complaint.contract_number,
        contract_signed_on=complaint.contract_signed_on,
        delivered_on=complaint.delivered_on,
        payment_due_on=complaint.payment_due_on,
        subject=complaint.subject,
        amount_owed_fen=complaint.amount_owed_fen,
        amount_paid_fen=complaint.amount_paid_fen,
        sme_notified_at_signing=complaint.sme_notified_at_signing,
    )


def _response_within_claim(complaint, confirmed_fen: int, disputed_fen: int) -> dict:
    """The debtor answers for the amount the complaint says is outstanding: what
    it confirms and what it disputes together cannot be more than that."""
    claimed = (complaint.amount_owed_fen or 0) - complaint.amount_paid_fen
    if confirmed_fen + disputed_fen <= claimed:
        return {}
    message = _(
        "Confirmed and disputed together come to %(total)s, more than the %(claimed)s "
        "the complaint says is outstanding."
    ) % {"total": yuan(confirmed_fen + disputed_fen), "claimed": yuan(claimed)}
    return {"disputed_fen" if disputed_fen > claimed else "confirmed_fen": message}


@transaction.atomic
def complaint_extend(
    *, actor, complaint, total_days: int, approved_by: str, reason: str, version=None, on=None
) -> Complaint:
    complaint = _begin(actor, complaint, "extend", version)
    handling = deadlines.running(complaint, Stage.HANDLING)
    errors = {}
    if not approved_by.strip():
        errors["approved_by"] = _("Name the head of the department who approved the extension.")
    if not reason.strip():
        errors["reason"] = _("Give the reason for the extension.")
    if (
        not isinstance(total_days, int)
        or not handling
        or not handling.count < total_days <= deadlines.HANDLING_MAX_DAYS
    ):
        errors["total_days"] = _(
            "The new total must be longer than now and at most 90 days after receipt."
        )
    if errors:
        raise ValidationError(errors)
    old_due = handling.due_on
    deadlines.extend_handling(handling, total_days)
    return _finish(
        actor,
        complaint,
        "extend",
        None,
        note=reason,
        details={
            "approved_by": approved_by,
            "total_days": total_days,
            "old_due": old_due,
            "new_due": handling.due_on,
        },
        on=on,
    )


@transaction.atomic
def complaint_supervision_order(
    *, actor, complaint, due_on: date, note: str, version=None, on=None
) -> Complaint:
    on = on or today()
    complaint = _begin(actor, complaint, "supervision-order", version)
    if not isinstance(due_on, date) or due_on <= on:
        raise ValidationError({"due_on": _("The order's due date must be after today.")})
    _require_text(note, "note", _("State what the debtor is ordered to do."))
    deadlines.end(complaint, Stage.SUPERVISION_ORDER, on, by="supervision-order")
    deadlines.start(
        complaint,
        Stage.SUPERVISION_ORDER,
        on,
        unit=deadlines.FIXED_DATE,
        count=0,
        due_on=due_on,
        rule=f"supervision order of {on}: due {due_on}",
    )
    return _finish(
        actor,
        complaint,
        "supervision-order",
        None,
        note=note,
        details={"due_on": due_on},
        on=on,
    )


@transaction.atomic
def complaint_submit_result(
    *, actor, complaint, kind: str, text: str, version=None, on=None
) -> Complaint:
    on = on or today()
    complaint = _begin(actor, complaint, "submit-result", version)
    _require_choice(kind, ResultKind, "kind", _("Choose the kind of result."))
    _require_text(text, "text", _("Write the result for the complainant."))
    complaint.result_kind, complaint.result_text = kind, text.strip()
    deadlines.end(complaint, Stage.HANDLING, on, by="submit-result")
    deadlines.end(complaint, Stage.SUPERVISION_ORDER, on, by="submit-result")
    complaint = _finish(
        actor,
        complaint,
        "submit-result",
        State.RESULT_REVIEW,
        details={"kind": kind},
        on=on,
    )
    ledger_sync_complaint(actor=actor, contract=ledger_contract(complaint), result_kind=kind)
    return complaint


@transaction.atomic
def complaint_approve_result(
    *, actor, complaint, note: str = "", version=None, on=None
) -> Complaint:
    complaint = _begin(actor, complaint, "approve-result", version)
    return _finish(actor, complaint, "approve-result", State.RESOLVED, note=note, on=on)


@transaction.atomic
def complaint_send_back(*, actor, complaint, comments: str, version=None, on=None) -> Complaint:
    complaint = _begin(actor, complaint, "send-back", version)
    _require_text(comments, "comments", _("Say what the department must change."))
    return _finish(actor, complaint, "send-back", State.IN_HANDLING, note=comments, on=on)


@transaction.atomic
def complaint_feedback(
    *, actor, complaint, satisfied: bool, comment: str = "", version=None, on=None
) -> Complaint:
    complaint = _begin(actor, complaint, "feedback", version)
    if not isinstance(satisfied, bool):
        raise ValidationError({"satisfied": _("Say whether you are satisfied.")})
    complaint.feedback_satisfied, complaint.feedback_text = satisfied, comment.strip()
    return _finish(
        actor,
        complaint,
        "feedback",
        State.CLOSED,
        note=comment,
        details={"satisfied": satisfied},
        on=on,
    )


def reopen_window_days() -> int:
    """How long after the result the complainant may reopen on new facts (configurable)."""
    return settings.QINGQIAN_REOPEN_WINDOW_DAYS


@transaction.atomic
def complaint_reopen(*, actor, complaint, new_facts: str, version=None, on=None) -> Complaint:
    on = on or today()
    complaint = _begin(actor, complaint, "reopen", version)
    _require_text(new_facts, "new_facts", _("Describe the new facts."))
    resolved = complaint.events.filter(to_state=State.RESOLVED).last()
    if resolved and (on - timezone.localdate(resolved.at)).days > reopen_window_days():
        raise ComplaintConflict(_("The period for reopening this complaint has ended."))
    complaint.handling_department, complaint.received_on = None, None
    complaint.result_kind, complaint.result_text, complaint.feedback_satisfied = "", "", None
    deadlines.start_transfer(complaint, on)
    return _finish(actor, complaint, "reopen", State.ACCEPTED, note=new_facts, on=on)


@transaction.atomic
def complaint_withdraw(*, actor, complaint, reason: str = "", version=None, on=None) -> Complaint:
    on = on or today()
    complaint = _begin(actor, complaint, "withdraw", version)
    deadlines.end_all(complaint, on, by="withdraw")
    return _finish(actor, complaint, "withdraw", State.TERMINATED, note=reason, on=on)


@transaction.atomic
def complaint_terminate(*, actor, complaint, reason: str, version=None, on=None) -> Complaint:
    on = on or today()
    complaint = _begin(actor, complaint, "terminate", version)
    _require_text(
        reason, "reason", _("Give the reason, e.g. which court or arbitration body took it up.")
    )
    deadlines.end_all(complaint, on, by="terminate")
    return _finish(actor, complaint, "terminate", State.TERMINATED, note=reason, on=on)


@transaction.atomic
def complaint_add_internal_note(*, actor, complaint: Complaint, text: str) -> ComplaintEvent:
    """Officials working on a complaint leave notes for each other; the SME and
    the debtor never see them. Not a transition: the state does not change."""
    complaint = _lock(complaint)
    if not (actor.is_official and _works_on(actor, complaint)):
        raise PermissionDenied(_("You may not add notes to this complaint."))
    _require_text(text, "text", _("Write the note."))
    event = ComplaintEvent.objects.create(
        complaint=complaint,
        actor=actor,
        action=selectors.INTERNAL_NOTE,
        from_state=complaint.state,
        to_state=complaint.state,
        internal_note=text.strip(),
    )
    audit.record(
        actor=actor, verb="complaint.internal-note", target=complaint, payload={"event": event.pk}
    )
    return event


def _works_on(actor, complaint: Complaint) -> bool:
    """The accepting authority (or a level above it) or the handling department."""
    path = actor.organisation.path if actor.organisation_id else None
    if path is None:
        return False
    authority, department = complaint.accepting_authority, complaint.handling_department
    return bool(
        (authority and authority.path.startswith(path))
        or (department and path.startswith(department.path))
    )


ACTIONS = {
    "submit": complaint_submit,
    "request-material": complaint_request_material,
    "resubmit": complaint_resubmit,
    "accept": complaint_accept,
    "not-accept": complaint_not_accept,
    "transfer": complaint_transfer,
    "return": complaint_return,
    "debtor-response": complaint_debtor_response,
    "extend": complaint_extend,
    "supervision-order": complaint_supervision_order,
    "submit-result": complaint_submit_result,
    "approve-result": complaint_approve_result,
    "send-back": complaint_send_back,
    "feedback": complaint_feedback,
    "reopen": complaint_reopen,
    "withdraw": complaint_withdraw,
    "terminate": complaint_terminate,
}
assert set(ACTIONS) == set(TRANSITIONS)  # nosec B101 # import-time table check


# --- the machinery shared by every action ---------------------------------------


def may_act(actor, complaint: Complaint, action: str) -> bool:
    """The role may take the action, and this person stands in the right place for it."""
    transition = TRANSITIONS[action]
    if actor is None or not actor.is_authenticated or actor.role not in transition.roles:
        return False
    if actor.role == Role.SME:
        return complaint.complainant_id == actor.enterprise_id
    if actor.role == Role.DEBTOR:
        return complaint.debtor_id == actor.enterprise_id and complaint.received_on is not None
    organisation = actor.organisation
    if actor.role == Role.INTAKE:
        if action == "submit":
            return True
        # The accepting authority itself, or a level above it.
        authority = complaint.accepting_authority
        return authority is not None and authority.path.startswith(organisation.path)
    if actor.role == Role.HANDLER:
        department = complaint.handling_department
        return department is not None and organisation.path.startswith(department.path)
    return False


def _lock(complaint: Complaint) -> Complaint:
    # Lock the complaint row only (PostgreSQL refuses FOR UPDATE on outer joins).
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("accepting_authority", "handling_department", "complainant", "debtor")
        .get(pk=complaint.pk)
    )


def _begin(actor, complaint: Complaint, action: str, version: int | None) -> Complaint:
    complaint = _lock(complaint)
    _check(actor, complaint, action, version)
    return complaint


def _check(actor, complaint: Complaint, action: str, version: int | None = None) -> None:
    """Who may not take the action in this state is told so, stale version or not;
    then a stale version (someone acted meanwhile); then a state that does not fit."""
    fits = complaint.state in TRANSITIONS[action].sources
    if fits and not may_act(actor, complaint, action):
        raise PermissionDenied(_("You may not take this action on this complaint."))
    if version is not None and version != complaint.version:
        raise StaleVersion()
    if not fits:
        raise ComplaintConflict()


def _finish(
    actor,
    complaint: Complaint,
    action: str,
    target: str | None,
    *,
    note: str = "",
    details: dict | None = None,
    on: date | None = None,
    department=None,
) -> Complaint:
    from_state = complaint.state
    if target is not None:
        complaint.state = target
    complaint.version += 1
    complaint.save()
    _record(
        complaint,
        actor,
        action,
        from_state,
        complaint.state,
        note=note,
        details=details or {},
        day=on or today(),
        department=department or complaint.handling_department,
    )
    return complaint


def _record(
    complaint, actor, action, from_state, to_state, *, note="", details=None, day, department=None
) -> ComplaintEvent:
    event = ComplaintEvent.objects.create(
        complaint=complaint,
        actor=actor,
        action=action,
        day=day,
        department=department,
        from_state=from_state,
        to_state=to_state,
        note=note.strip(),
        details=audit.json_safe(details or {}),
    )
    audit.record(
        actor=actor,
        verb=f"complaint.{action}",
        target=complaint,
        payload={
            "from": from_state,
            "to": to_state,
            "event": event.pk,
            **event.details,
        },
    )
    _publish_action(event, complaint)
    from qingqian.complaints.notify import notify_with_change

    notify_with_change(event)
    return event


def _publish_action(event: ComplaintEvent, complaint) -> None:
    events.publish(
        complaint_events.ACTION_RECORDED,
        complaint_id=complaint.pk,
        event_id=event.pk,
        action=event.action,
        day=event.day,
        department_id=event.department_id,
        satisfied=event.details.get("satisfied"),
        region_code=complaint.debtor_region_code,
        debtor_type=complaint.debtor_type,
    )


def _require_may_file(actor, complainant) -> None:
    if actor is None:
        return
    if actor.role == Role.SME and actor.enterprise_id == complainant.pk:
        return
    if actor.role == Role.INTAKE:
        return
    raise PermissionDenied(_("You may not file complaints for this enterprise."))


def _require_choice(value: str, choices, field: str, message: str) -> None:
    if value not in choices.values:
        raise ValidationError({field: message})


def _require_text(value: str, field: str, message: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError({field: message})

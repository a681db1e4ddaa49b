"""One audited service per workflow action after submission.

Every action: lock the row, check the version the caller saw, check the
transition table and the actor's right, validate, change state, keep the
deadlines, append a history event and an audit event, and notify on commit.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.accounts.models import Organisation
from qingqian.complaints import deadlines
from qingqian.complaints.errors import ComplaintConflict
from qingqian.complaints.models import Complaint, Deadline, NotAcceptedGround, ResultKind, State
from qingqian.complaints.results import result_amounts, result_errors, within_claim
from qingqian.complaints.services.acting import (
    begin,
    finish,
    require_choice,
    require_text,
    today,
)
from qingqian.complaints.services.filing import complaint_submit
from qingqian.complaints.transitions import TRANSITIONS
from qingqian.ledger.services import ComplaintContract, ledger_sync_complaint

Stage = Deadline.Stage


@transaction.atomic
def complaint_request_material(*, actor, complaint, note: str, version=None, on=None) -> Complaint:
    on = on or today()
    complaint = begin(actor, complaint, "request-material", version)
    require_text(note, "note", _("Say which material is missing."))
    deadlines.pause(deadlines.running(complaint, Stage.REVIEW), on)
    return finish(actor, complaint, "request-material", State.AWAITING_MATERIAL, note=note, on=on)


@transaction.atomic
def complaint_resubmit(*, actor, complaint, note: str = "", version=None, on=None) -> Complaint:
    on = on or today()
    complaint = begin(actor, complaint, "resubmit", version)
    if not note.strip() and not _material_added_since_request(complaint):
        raise ValidationError(
            {
                "note": _(
                    "Add the material requested (a new evidence file) first, or say here "
                    "why you resubmit without it."
                )
            }
        )
    deadlines.resume(deadlines.running(complaint, Stage.REVIEW), on)
    return finish(actor, complaint, "resubmit", State.SUBMITTED, note=note, on=on)


def _material_added_since_request(complaint) -> bool:
    requested = complaint.events.filter(action="request-material").order_by("-at").first()
    return requested is None or complaint.evidence.filter(uploaded_at__gt=requested.at).exists()


@transaction.atomic
def complaint_accept(*, actor, complaint, note: str = "", version=None, on=None) -> Complaint:
    on = on or today()
    complaint = begin(actor, complaint, "accept", version)
    deadlines.end(complaint, Stage.REVIEW, on, by="accept")
    complaint.accepted_on = on
    deadlines.start_transfer(complaint, on)
    return finish(actor, complaint, "accept", State.ACCEPTED, note=note, on=on)


@transaction.atomic
def complaint_not_accept(
    *, actor, complaint, ground: str, note: str, version=None, on=None
) -> Complaint:
    on = on or today()
    complaint = begin(actor, complaint, "not-accept", version)
    require_choice(
        ground, NotAcceptedGround, "ground", _("Choose one of the grounds for not accepting.")
    )
    require_text(note, "note", _("Explain the decision to the complainant."))
    deadlines.end(complaint, Stage.REVIEW, on, by="not-accept")
    complaint.not_accepted_ground = ground
    return finish(
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
    complaint = begin(actor, complaint, "transfer", version)
    if department is None or department.kind != Organisation.Kind.HANDLING_DEPARTMENT:
        raise ValidationError({"department": _("Choose a handling department.")})
    if not department.is_active:
        raise ValidationError({"department": _("This department has been deactivated.")})
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
    return finish(
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
    complaint = begin(actor, complaint, "return", version)
    require_text(reason, "reason", _("Give the reason for returning the complaint."))
    handling = deadlines.running(complaint, Stage.HANDLING)
    if handling:
        handling.delete()  # the handling clock never really started for this department
    transfer = complaint.deadlines.filter(stage=Stage.TRANSFER).last()
    if transfer:
        deadlines.reopen(transfer)
    returned_from = complaint.handling_department
    complaint.handling_department, complaint.received_on = None, None
    return finish(
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
    complaint = begin(actor, complaint, "debtor-response", version)
    errors = {}
    for name, value in (("confirmed_fen", confirmed_fen), ("disputed_fen", disputed_fen)):
        if not isinstance(value, int) or value < 0:
            errors[name] = _("Enter an amount of zero or more.")
    if not errors and confirmed_fen + disputed_fen == 0:
        errors["confirmed_fen"] = _("Enter the confirmed or the disputed amount.")
    if not errors:
        errors = within_claim(complaint, confirmed_fen, disputed_fen)
    if errors:
        raise ValidationError(errors)
    complaint = finish(
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


@transaction.atomic
def complaint_extend(
    *, actor, complaint, total_days: int, approved_by: str, reason: str, version=None, on=None
) -> Complaint:
    complaint = begin(actor, complaint, "extend", version)
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
    handling = deadlines.extend_handling(handling, total_days, on)
    return finish(
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
    complaint = begin(actor, complaint, "supervision-order", version)
    if not isinstance(due_on, date) or due_on <= on:
        raise ValidationError({"due_on": _("The order's due date must be after today.")})
    require_text(note, "note", _("State what the debtor is ordered to do."))
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
    return finish(
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
    *,
    actor,
    complaint,
    kind: str,
    text: str,
    confirmed_fen: int | None = None,
    disputed_fen: int | None = None,
    paid_fen: int | None = None,
    planned_fen: int | None = None,
    basis: str = "",
    version=None,
    on=None,
) -> Complaint:
    """The handling department's result: its kind, its text for the complainant,
    and the amounts it establishes (`complaints.results`), which the ledger item
    of the contract takes."""
    on = on or today()
    complaint = begin(actor, complaint, "submit-result", version)
    require_choice(kind, ResultKind, "kind", _("Choose the kind of result."))
    require_text(text, "text", _("Write the result for the complainant."))
    given = {
        "confirmed_fen": confirmed_fen,
        "disputed_fen": disputed_fen,
        "paid_fen": paid_fen,
        "planned_fen": planned_fen,
    }
    amounts = result_amounts(complaint, kind, given)
    errors = result_errors(complaint, kind, amounts)
    if errors:
        raise ValidationError(errors)
    complaint.result_kind, complaint.result_text = kind, text.strip()
    complaint.result_basis = basis.strip()
    for name, value in asdict(amounts).items():
        setattr(complaint, f"result_{name}", value)
    deadlines.end(complaint, Stage.HANDLING, on, by="submit-result")
    deadlines.end(complaint, Stage.SUPERVISION_ORDER, on, by="submit-result")
    complaint = finish(
        actor,
        complaint,
        "submit-result",
        State.RESULT_REVIEW,
        details={"kind": kind, **asdict(amounts)},
        on=on,
    )
    # A result that establishes no amount (another outcome) leaves the item's figures alone.
    established = amounts if any(asdict(amounts).values()) else None
    ledger_sync_complaint(actor=actor, contract=ledger_contract(complaint), result=established)
    return complaint


@transaction.atomic
def complaint_approve_result(
    *, actor, complaint, note: str = "", version=None, on=None
) -> Complaint:
    complaint = begin(actor, complaint, "approve-result", version)
    return finish(actor, complaint, "approve-result", State.RESOLVED, note=note, on=on)


@transaction.atomic
def complaint_send_back(*, actor, complaint, comments: str, version=None, on=None) -> Complaint:
    complaint = begin(actor, complaint, "send-back", version)
    require_text(comments, "comments", _("Say what the department must change."))
    return finish(actor, complaint, "send-back", State.IN_HANDLING, note=comments, on=on)


@transaction.atomic
def complaint_feedback(
    *, actor, complaint, satisfied: bool, comment: str = "", version=None, on=None
) -> Complaint:
    complaint = begin(actor, complaint, "feedback", version)
    if not isinstance(satisfied, bool):
        raise ValidationError({"satisfied": _("Say whether you are satisfied.")})
    complaint.feedback_satisfied, complaint.feedback_text = satisfied, comment.strip()
    return finish(
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
    complaint = begin(actor, complaint, "reopen", version)
    require_text(new_facts, "new_facts", _("Describe the new facts."))
    resolved = complaint.events.filter(to_state=State.RESOLVED).last()
    if resolved and (on - timezone.localdate(resolved.at)).days > reopen_window_days():
        raise ComplaintConflict(_("The period for reopening this complaint has ended."))
    complaint.handling_department, complaint.received_on = None, None
    complaint.result_kind, complaint.result_text, complaint.feedback_satisfied = "", "", None
    deadlines.start_transfer(complaint, on)
    return finish(actor, complaint, "reopen", State.ACCEPTED, note=new_facts, on=on)


@transaction.atomic
def complaint_withdraw(*, actor, complaint, reason: str = "", version=None, on=None) -> Complaint:
    on = on or today()
    complaint = begin(actor, complaint, "withdraw", version)
    deadlines.end_all(complaint, on, by="withdraw")
    return finish(actor, complaint, "withdraw", State.TERMINATED, note=reason, on=on)


@transaction.atomic
def complaint_terminate(*, actor, complaint, reason: str, version=None, on=None) -> Complaint:
    on = on or today()
    complaint = begin(actor, complaint, "terminate", version)
    require_text(
        reason, "reason", _("Give the reason, e.g. which court or arbitration body took it up.")
    )
    deadlines.end_all(complaint, on, by="terminate")
    return finish(actor, complaint, "terminate", State.TERMINATED, note=reason, on=on)


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

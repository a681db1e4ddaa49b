"""Every write to the ledger: one audited service per act, totals kept in step.

Each service locks the item, checks who may act, validates, changes the rows,
moves the item's figures in `LedgerTotal` and writes one audit event, all in
one transaction: a refusal writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qingqian.accounts.models import Organisation, Role
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core import audit, filetypes
from qingqian.core.evidence_files import checked_content_type, max_total_bytes, store_file
from qingqian.core.money import to_yuan_str
from qingqian.core.regions import province_code_of
from qingqian.core.scoping import region_prefix, scope_for
from qingqian.ledger.models import (
    Confirmation,
    Instalment,
    LedgerEvidence,
    LedgerItem,
    LegalProceeding,
    Payment,
    PaymentMethod,
    RepaymentPlan,
    Source,
    Status,
)
from qingqian.ledger.totals import Snapshot, record_change
from qingqian.parties import services as party_services
from qingqian.parties.models import Enterprise
from qingqian.parties.vocabulary import DEBTOR_TYPES, Notified, Subject

MAX_INSTALMENTS = 120
_DUPLICATE_CONTRACT = gettext_lazy("The ledger already holds this contract between these parties.")


# --- who may act -------------------------------------------------------------------


def may_keep(actor, region_code: str) -> bool:
    """Officials who keep ledgers, for items located in their jurisdiction."""
    if actor is None:
        return True
    return has_perm(actor, Perm.LEDGER_KEEP) and scope_for(actor).covers_region(region_code)


def may_answer(actor, item: LedgerItem) -> bool:
    """The debtor's representative, or a keeper of the item."""
    if actor is not None and actor.role == Role.DEBTOR:
        return has_perm(actor, Perm.LEDGER_ANSWER) and actor.enterprise_id == item.debtor_id
    return may_keep(actor, item.region_code)


def _require_keeper(actor, region_code: str) -> None:
    if not may_keep(actor, region_code):
        raise PermissionDenied(_("You may not keep ledger items of this region."))


def _require_answerer(actor, item: LedgerItem) -> None:
    if not may_answer(actor, item):
        raise PermissionDenied(_("You may not answer for this ledger item."))


def owner_covers(owner: Organisation, region_code: str) -> bool:
    """An organisation keeps items located in its own jurisdiction only."""
    return region_code.startswith(region_prefix(owner.region_code))


# --- items -------------------------------------------------------------------------


@transaction.atomic
def ledger_item_create(
    *,
    actor,
    owner: Organisation,
    debtor: Enterprise | dict,
    creditor: Enterprise,
    contract_number: str,
    contract_signed_on: date,
    due_on: date,
    owed_fen: int,
    paid_fen: int = 0,
    disputed_fen: int = 0,
    subject: str = "",
    source: str = Source.MANUAL,
    sme_notified_at_signing: str = Notified.UNKNOWN,
    agreed_rate_percent: Decimal | None = None,
    notes: str = "",
) -> LedgerItem:
    """A new item; what was already paid is entered as one "paid before entry" payment.
    The debtor is a known enterprise or the particulars of one (credit code, name,
    type, region code): the enterprise with that code, or a new record of it."""
    debtor = _debtor_of(actor, debtor)
    _require_keeper(actor, debtor.region_code)
    contract_number = contract_number.strip()
    _check_parties(debtor, creditor)
    _check_new_item(owner, debtor, creditor, contract_number)
    _check_terms(contract_signed_on, due_on, subject)
    _check_amounts(owed_fen, paid_fen, disputed_fen)
    item = LedgerItem(
        owner=owner,
        region_code=debtor.region_code,
        province_code=province_code_of(debtor.region_code),
        debtor=debtor,
        debtor_type=debtor.type,
        creditor=creditor,
        contract_number=contract_number,
        contract_signed_on=contract_signed_on,
        subject=subject,
        due_on=due_on,
        owed_fen=owed_fen,
        paid_fen=paid_fen,
        disputed_fen=disputed_fen,
        source=source,
        sme_notified_at_signing=sme_notified_at_signing,
        agreed_rate_percent=agreed_rate_percent,
        notes=notes.strip(),
    )
    item.status = derived_status(item)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:  # the same contract, entered at the same moment elsewhere
        raise ValidationError({"contract_number": _DUPLICATE_CONTRACT}) from None
    if paid_fen:
        Payment.objects.create(
            item=item,
            paid_on=timezone.localdate(),
            amount_fen=paid_fen,
            method=PaymentMethod.REPORTED,
            recorded_by=_user(actor),
        )
    record_change(None, item)
    audit.record(actor=actor, verb="ledger.create", target=item, payload=_item_payload(item))
    return item


def _debtor_of(actor, debtor: Enterprise | dict) -> Enterprise:
    if isinstance(debtor, Enterprise):
        return debtor
    _require_keeper(actor, str(debtor.get("region_code", "")))  # before anything is written
    try:
        return party_services.enterprise_find_or_register_debtor(actor=actor, **debtor)
    except ValidationError as error:
        raise ValidationError({"debtor": error.messages}) from error


EDITABLE_FIELDS = ("due_on", "owed_fen", "subject", "agreed_rate_percent", "notes")


@transaction.atomic
def ledger_item_update(*, actor, item: LedgerItem, **changes) -> LedgerItem:
    """Correct an item's terms; payments and disputes have their own services."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    item = _lock(item)
    _require_keeper(actor, item.region_code)
    before = Snapshot.of(item)
    previous = {name: getattr(item, name) for name in changes}
    for name, value in changes.items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    _check_terms(item.contract_signed_on, item.due_on, item.subject)
    if item.owed_fen <= 0 or item.owed_fen < item.paid_fen + item.disputed_fen:
        raise ValidationError(
            {"owed_fen": _("The amount owed cannot be less than what is paid and disputed.")}
        )
    item.status = derived_status(item)
    _save_change(actor, item, before, "ledger.update", {"changes": changes, "previous": previous})
    return item


@transaction.atomic
def ledger_confirm(
    *, actor, item: LedgerItem, disputed_fen: int = 0, note: str = ""
) -> Confirmation:
    """The debtor confirms the outstanding amount, or disputes part or all of it."""
    item = _lock(item)
    _require_answerer(actor, item)
    _require_open(item)
    if disputed_fen < 0 or disputed_fen > item.outstanding_fen:
        raise ValidationError(
            {"disputed_fen": _("The disputed amount must be between 0 and the amount outstanding.")}
        )
    if disputed_fen and not note.strip():
        raise ValidationError({"note": _("Give the reason for the dispute.")})
    before = Snapshot.of(item)
    item.disputed_fen = disputed_fen
    item.status = derived_status(item)
    confirmation = Confirmation.objects.create(
        item=item,
        kind=confirmation_kind(disputed_fen),
        disputed_fen=disputed_fen,
        note=note.strip(),
        actor=_user(actor),
    )
    payload = {"kind": confirmation.kind, "disputed_fen": disputed_fen}
    _save_change(actor, item, before, "ledger.confirm", payload)
    return confirmation


# --- payments ----------------------------------------------------------------------


@transaction.atomic
def payment_record(
    *,
    actor,
    item: LedgerItem,
    paid_on: date,
    amount_fen: int,
    method: str,
    reference: str = "",
    note: str = "",
    evidence: tuple[str, bytes] | None = None,
) -> Payment:
    """A payment reduces the undisputed part first: paying more settles the dispute.
    Its evidence file, as (name, bytes), is attached in the same act: a refused file
    refuses the payment."""
    item = _lock(item)
    _require_answerer(actor, item)
    _require_open(item)
    if method not in PaymentMethod.values or method == PaymentMethod.REPORTED:
        raise ValidationError({"method": _("Choose how the payment was made.")})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})
    if amount_fen <= 0:
        raise ValidationError({"amount_fen": _("The amount must be positive.")})
    if amount_fen > item.outstanding_fen:
        raise ValidationError(
            {
                "amount_fen": _("The payment exceeds the amount outstanding (%(yuan)s yuan).")
                % {"yuan": to_yuan_str(item.outstanding_fen)}
            }
        )
    before = Snapshot.of(item)
    payment = Payment.objects.create(
        item=item,
        paid_on=paid_on,
        amount_fen=amount_fen,
        method=method,
        reference=reference.strip(),
        note=note.strip(),
        recorded_by=_user(actor),
    )
    _apply_paid(item, amount_fen)
    payload = {
        "payment": payment.pk,
        "amount_fen": amount_fen,
        "method": method,
        "paid_on": paid_on,
        "bill": payment.is_bill,
    }
    _save_change(actor, item, before, "ledger.payment", payload)
    if evidence is not None:
        _attach_evidence(actor, item, payment, evidence)
    return payment


def _attach_evidence(actor, item: LedgerItem, payment: Payment, evidence) -> None:
    """A refused file is named as the act's `evidence`, the field it came in."""
    name, data = evidence
    try:
        ledger_evidence_add(actor=actor, item=item, name=name, data=data, payment=payment)
    except ValidationError as error:
        raise ValidationError({"evidence": error.messages}) from error


@transaction.atomic
def payment_reverse(*, actor, payment: Payment, reason: str) -> Payment:
    """Undo a wrong payment with a new, negative entry; the original stays as it was."""
    item = _lock(payment.item)
    _require_keeper(actor, item.region_code)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.amount_fen < 0:
        raise ValidationError({"payment": _("A reversal cannot itself be reversed.")})
    if Payment.objects.filter(reverses=payment).exists():
        raise ValidationError({"payment": _("This payment is already reversed.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the reversal.")})
    before = Snapshot.of(item)
    reversal = Payment.objects.create(
        item=item,
        paid_on=timezone.localdate(),
        amount_fen=-payment.amount_fen,
        method=payment.method,
        reverses=payment,
        note=reason.strip(),
        recorded_by=_user(actor),
    )
    _apply_paid(item, -payment.amount_fen)
    payload = {"payment": payment.pk, "reversal": reversal.pk, "reason": reason.strip()}
    _save_change(actor, item, before, "ledger.payment_reverse", payload)
    return reversal


def _apply_paid(item: LedgerItem, amount_fen: int) -> None:
    item.paid_fen += amount_fen
    item.disputed_fen = min(item.disputed_fen, item.outstanding_fen)
    item.status = derived_status(item)


def _save_change(actor, item: LedgerItem, before: Snapshot | None, verb: str, payload) -> None:
    """How every change to an item ends: save it, end its plans if it closed, move
    its figures in the totals (`before` None: a new item), write the audit event."""
    item.save()
    _close_plans_if_closed(item)
    record_change(before, item)
    audit.record(actor=actor, verb=verb, target=item, payload=payload)


# --- repayment plans ---------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor, item: LedgerItem, instalments: list[tuple[date, int]]) -> RepaymentPlan:
    """Instalments with increasing dates summing exactly to the amount outstanding."""
    item = _lock(item)
    _require_answerer(actor, item)
    _require_open(item)
    _check_instalments(item, instalments)
    replaced = RepaymentPlan.objects.filter(item=item, state=RepaymentPlan.State.ACTIVE)
    replaced_ids = list(replaced.values_list("pk", flat=True))
    replaced.update(state=RepaymentPlan.State.REPLACED)
    plan = RepaymentPlan.objects.create(
        item=item,
        state=RepaymentPlan.State.ACTIVE,
        paid_at_start_fen=item.paid_fen,
        created_by=_user(actor),
    )
    Instalment.objects.bulk_create(
        Instalment(plan=plan, number=number, due_on=due_on, amount_fen=amount)
        for number, (due_on, amount) in enumerate(instalments, start=1)
    )
    audit.record(
        actor=actor,
        verb="ledger.plan",
        target=item,
        payload={"plan": plan.pk, "replaces": replaced_ids, "instalments": instalments},
    )
    return plan


def _check_instalments(item: LedgerItem, instalments: list[tuple[date, int]]) -> None:
    if not instalments or len(instalments) > MAX_INSTALMENTS:
        raise ValidationError(
            {"instalments": _("Give between 1 and %(n)d instalments.") % {"n": MAX_INSTALMENTS}}
        )
    dates = [due_on for due_on, _amount in instalments]
    if dates != sorted(set(dates)) or dates[0] < timezone.localdate():
        raise ValidationError(
            {"instalments": _("Instalment dates must be in the future and increasing.")}
        )
    if any(amount <= 0 for _due, amount in instalments):
        raise ValidationError({"instalments": _("Every instalment must be a positive amount.")})
    total = sum(amount for _due, amount in instalments)
    if total > item.outstanding_fen:  # said without the sum, which may be beyond any amount
        raise ValidationError(
            {
                "instalments": _(
                    "The instalments add up to more than the %(yuan)s yuan outstanding."
                )
                % {"yuan": to_yuan_str(item.outstanding_fen)}
            }
        )
    if total != item.outstanding_fen:
        raise ValidationError(
            {
                "instalments": _(
                    "The instalments add up to %(total)s yuan, "
                    "but %(outstanding)s yuan is outstanding."
                )
                % {"total": to_yuan_str(total), "outstanding": to_yuan_str(item.outstanding_fen)}
            }
        )


def confirmation_kind(disputed_fen: int) -> str:
    return Confirmation.Kind.DISPUTED if disputed_fen else Confirmation.Kind.CONFIRMED


def close_plans(item_ids) -> None:
    """Active plans of items now cleared or written off are over: nothing more is due."""
    RepaymentPlan.objects.filter(item_id__in=item_ids, state=RepaymentPlan.State.ACTIVE).update(
        state=RepaymentPlan.State.COMPLETED
    )


def _close_plans_if_closed(item: LedgerItem) -> None:
    if item.status in (Status.CLEARED, Status.WRITTEN_OFF):
        close_plans([item.pk])


# --- legal route -------------------------------------------------------------------


@transaction.atomic
def legal_route_open(
    *, actor, item: LedgerItem, kind: str, body: str, filed_on: date, case_number: str = ""
) -> LegalProceeding:
    item = _lock(item)
    _require_keeper(actor, item.region_code)
    _require_open(item)
    if kind not in LegalProceeding.Kind.values:
        raise ValidationError({"kind": _("Choose litigation, arbitration or mediation.")})
    if not body.strip():
        raise ValidationError({"body": _("Name the court, arbitration body or mediator.")})
    if filed_on > timezone.localdate():
        raise ValidationError({"filed_on": _("The filing date cannot be in the future.")})
    before = Snapshot.of(item)
    proceeding = LegalProceeding.objects.create(
        item=item,
        kind=kind,
        body=body.strip(),
        case_number=case_number.strip(),
        filed_on=filed_on,
        created_by=_user(actor),
    )
    item.status = Status.LEGAL_ROUTE
    payload = {"proceeding": proceeding.pk, "kind": kind, "case_number": case_number}
    _save_change(actor, item, before, "ledger.legal_open", payload)
    return proceeding


@transaction.atomic
def legal_route_decide(
    *, actor, proceeding: LegalProceeding, outcome: str, decided_on: date, enforcement: str = ""
) -> LegalProceeding:
    """Record the outcome; a decision for the debtor writes the item off."""
    item = _lock(proceeding.item)
    _require_keeper(actor, item.region_code)
    proceeding = LegalProceeding.objects.select_for_update().get(pk=proceeding.pk)
    if proceeding.outcome != LegalProceeding.Outcome.PENDING:
        raise ValidationError({"outcome": _("This proceeding already has an outcome.")})
    if outcome not in LegalProceeding.Outcome.values or outcome == LegalProceeding.Outcome.PENDING:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    if decided_on < proceeding.filed_on or decided_on > timezone.localdate():
        raise ValidationError(
            {"decided_on": _("The decision date must lie between filing and today.")}
        )
    before = Snapshot.of(item)
    proceeding.outcome = outcome
    proceeding.decided_on = decided_on
    proceeding.enforcement = enforcement.strip()
    proceeding.save()
    if outcome == LegalProceeding.Outcome.FOR_DEBTOR:
        item.status = Status.WRITTEN_OFF
    else:
        item.status = derived_status(item)
    payload = {"proceeding": proceeding.pk, "outcome": outcome, "decided_on": decided_on}
    _save_change(actor, item, before, "ledger.legal_decide", payload)
    return proceeding


# --- evidence ------------------------------------------------------------------------


@transaction.atomic
def ledger_evidence_add(
    *, actor, item: LedgerItem, name: str, data: bytes, payment=None, confirmation=None
) -> LedgerEvidence:
    """A file backing a payment or a confirmation (checked by content, stored
    outside the web root, its SHA-256 in the audit event)."""
    _require_answerer(actor, item)
    for attached in (payment, confirmation):
        if attached is not None and attached.item_id != item.pk:
            raise ValidationError({"file": _("The file must belong to this item.")})
    content_type = checked_content_type(data)
    used = item.evidence.aggregate(total=Sum("size"))["total"] or 0
    if used + len(data) > max_total_bytes():
        raise ValidationError(
            {
                "file": _("An item's evidence may total %(mb)s MB at most.")
                % {"mb": max_total_bytes() // 2**20}
            }
        )
    stored_name, digest = store_file(data, content_type)
    evidence = LedgerEvidence.objects.create(
        item=item,
        payment=payment,
        confirmation=confirmation,
        original_name=filetypes.stored_filename(name, content_type),
        stored_name=stored_name,
        content_type=content_type,
        size=len(data),
        sha256=digest,
        uploaded_by=_user(actor),
    )
    audit.record(
        actor=actor,
        verb="ledger.evidence_add",
        target=item,
        payload={
            "evidence": evidence.pk,
            "name": evidence.original_name,
            "size": evidence.size,
            "sha256": digest,
            "payment": payment.pk if payment else None,
            "confirmation": confirmation.pk if confirmation else None,
        },
    )
    return evidence


# --- complaints ----------------------------------------------------------------------


@dataclass(frozen=True)
class ComplaintContract:
    """What the ledger keeps of a complaint's contract, as plain values: the ledger
    knows no complaint (complaints build on the ledger, not the reverse)."""

    complaint_id: int
    tracking_number: str
    accepting_authority: Organisation
    debtor: Enterprise
    complainant: Enterprise
    contract_number: str
    contract_signed_on: date
    delivered_on: date | None
    payment_due_on: date | None
    subject: str
    amount_owed_fen: int
    amount_paid_fen: int
    sme_notified_at_signing: str


@transaction.atomic
def ledger_sync_complaint(
    *,
    actor,
    contract: ComplaintContract,
    disputed_fen: int | None = None,
    result_kind: str = "",
) -> LedgerItem:
    """Keep a complaint's contract in the ledger, so the two never disagree.

    Called by the complaint services, inside their transaction, when the
    debtor's response is recorded (`disputed_fen`) and when the result is
    submitted (`result_kind`); the complaint action has already checked who
    may act. One item per complaint contract (debtor, complainant, number):
    created from the complaint the first time, then brought in line.
    """
    item = (
        LedgerItem.objects.select_for_update()
        .filter(
            debtor=contract.debtor,
            creditor=contract.complainant,
            contract_number=contract.contract_number,
        )
        .first()
    )
    created = item is None
    if created:
        item = _item_from_complaint(actor, contract)
    before = Snapshot.of(item)
    if item.status != Status.WRITTEN_OFF:
        _apply_complaint_facts(actor, item, contract, disputed_fen, result_kind)
    item.status = derived_status(item)
    payload = {
        "complaint": contract.complaint_id,
        "created": created,
        "disputed_fen": disputed_fen,
        "result_kind": result_kind,
    }
    _save_change(actor, item, None if created else before, "ledger.sync_complaint", payload)
    return item


def _item_from_complaint(actor, contract: ComplaintContract) -> LedgerItem:
    debtor = contract.debtor
    item = LedgerItem.objects.create(
        owner=contract.accepting_authority,
        region_code=debtor.region_code,
        province_code=province_code_of(debtor.region_code),
        debtor=debtor,
        debtor_type=debtor.type,
        creditor=contract.complainant,
        contract_number=contract.contract_number,
        contract_signed_on=contract.contract_signed_on,
        subject=contract.subject,
        due_on=contract_due_on(contract),
        owed_fen=contract.amount_owed_fen,
        paid_fen=contract.amount_paid_fen,
        source=Source.COMPLAINT,
        sme_notified_at_signing=contract.sme_notified_at_signing,
        status=status_from_amounts(contract.amount_owed_fen, contract.amount_paid_fen),
    )
    if item.paid_fen:
        _reported_payment(actor, item, item.paid_fen, contract)
    return item


def _apply_complaint_facts(
    actor, item, contract: ComplaintContract, disputed_fen, result_kind
) -> None:
    if disputed_fen is not None:
        item.disputed_fen = min(disputed_fen, item.outstanding_fen)
        Confirmation.objects.create(
            item=item,
            kind=confirmation_kind(item.disputed_fen),
            disputed_fen=item.disputed_fen,
            note=contract.tracking_number,
            actor=_user(actor),
        )
    if result_kind == "paid" and item.outstanding_fen:
        _reported_payment(actor, item, item.outstanding_fen, contract)
        item.paid_fen, item.disputed_fen = item.owed_fen, 0
    elif result_kind == "disputed":
        item.disputed_fen = item.outstanding_fen


def _reported_payment(actor, item, amount_fen: int, contract: ComplaintContract) -> None:
    Payment.objects.create(
        item=item,
        paid_on=timezone.localdate(),
        amount_fen=amount_fen,
        method=PaymentMethod.REPORTED,
        note=contract.tracking_number,
        recorded_by=_user(actor),
    )


def contract_due_on(contract: ComplaintContract) -> date:
    """The agreed payment date; else the statutory term from delivery (30 days for
    agencies and institutions, 60 for enterprises: Regulations 2025 Art. 9);
    else, lacking both, the signing date."""
    if contract.payment_due_on:
        return contract.payment_due_on
    if contract.delivered_on:
        public = contract.debtor.type in (Enterprise.Type.AGENCY, Enterprise.Type.INSTITUTION)
        return contract.delivered_on + timedelta(days=30 if public else 60)
    return contract.contract_signed_on


# --- rules shared by the services and the importer ---------------------------------


def derived_status(item: LedgerItem) -> str:
    """Cleared when fully paid; in legal route while a proceeding is pending.

    Only an item that is (or was, until a reversal) in legal route can have a
    pending proceeding, so the usual case asks the database nothing.
    """
    if item.status == Status.WRITTEN_OFF:
        return Status.WRITTEN_OFF
    if item.paid_fen >= item.owed_fen:
        return Status.CLEARED
    if item.status in (Status.LEGAL_ROUTE, Status.CLEARED) and _pending_proceeding(item):
        return Status.LEGAL_ROUTE
    return status_from_amounts(item.owed_fen, item.paid_fen)


def status_from_amounts(owed_fen: int, paid_fen: int) -> str:
    """The status of an item with no legal history, from its amounts alone."""
    if paid_fen >= owed_fen:
        return Status.CLEARED
    return Status.PARTLY_PAID if paid_fen else Status.OUTSTANDING


def _pending_proceeding(item: LedgerItem) -> bool:
    return (
        bool(item.pk) and item.proceedings.filter(outcome=LegalProceeding.Outcome.PENDING).exists()
    )


def _check_parties(debtor: Enterprise, creditor: Enterprise) -> None:
    errors = {}
    if debtor.type not in DEBTOR_TYPES:
        errors["debtor"] = _(
            "The debtor must be an agency, a public institution, "
            "or a large or state-owned enterprise."
        )
    if creditor.type != Enterprise.Type.SME:
        errors["creditor"] = _("The creditor must be an SME.")
    if creditor.pk == debtor.pk:
        errors["creditor"] = _("The creditor and the debtor must be different enterprises.")
    if errors:
        raise ValidationError(errors)


def _check_new_item(owner, debtor, creditor, contract_number: str) -> None:
    if not contract_number:
        raise ValidationError({"contract_number": _("Enter the contract number.")})
    if not owner_covers(owner, debtor.region_code):
        raise ValidationError(
            {"owner": _("The keeping organisation's jurisdiction does not cover the debtor.")}
        )
    if LedgerItem.objects.filter(
        debtor=debtor, creditor=creditor, contract_number=contract_number
    ).exists():
        raise ValidationError({"contract_number": _DUPLICATE_CONTRACT})


def _check_terms(signed_on: date, due_on: date, subject: str) -> None:
    errors = {}
    if signed_on > timezone.localdate():
        errors["contract_signed_on"] = _("The signing date cannot be in the future.")
    if due_on < signed_on:
        errors["due_on"] = _("The due date cannot be before the contract was signed.")
    if subject and subject not in Subject.values:
        errors["subject"] = _("Choose goods, works or services.")
    if errors:
        raise ValidationError(errors)


def _check_amounts(owed_fen: int, paid_fen: int, disputed_fen: int) -> None:
    errors = {}
    if owed_fen <= 0:
        errors["owed_fen"] = _("The amount owed must be positive.")
    elif not 0 <= paid_fen <= owed_fen:
        errors["paid_fen"] = _("The amount paid must be between 0 and the amount owed.")
    elif not 0 <= disputed_fen <= owed_fen - paid_fen:
        errors["disputed_fen"] = _(
            "The disputed amount must be between 0 and the amount outstanding."
        )
    if errors:
        raise ValidationError(errors)


def _require_open(item: LedgerItem) -> None:
    if item.status in (Status.CLEARED, Status.WRITTEN_OFF):
        raise ValidationError({"status": _("This item is closed: it is cleared or written off.")})


def _lock(item: LedgerItem) -> LedgerItem:
    return LedgerItem.objects.select_for_update().get(pk=item.pk)


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def _item_payload(item: LedgerItem) -> dict:
    return {
        "debtor": item.debtor_id,
        "creditor": item.creditor_id,
        "contract_number": item.contract_number,
        "owed_fen": item.owed_fen,
        "paid_fen": item.paid_fen,
        "disputed_fen": item.disputed_fen,
        "due_on": item.due_on,
        "source": item.source,
        "owner": item.owner_id,
    }

"""A complaint's contract, kept in the ledger so the two never disagree."""

from __future__ import annotations

from dataclasses import asdict

from django.db import transaction
from django.utils import timezone

from qingqian.core.regions import province_code_of
from qingqian.ledger import verbs
from qingqian.ledger.models import Confirmation, LedgerItem, Payment, PaymentMethod, Source
from qingqian.ledger.rules import (
    ComplaintContract,
    ComplaintResult,
    confirmation_kind,
    contract_due_on,
    status_from_amounts,
)
from qingqian.ledger.services.changes import save_change
from qingqian.ledger.services.common import acting_user, status_after
from qingqian.ledger.totals import Snapshot
from qingqian.ledger.transitions import ITEM_TRANSITIONS


@transaction.atomic
def ledger_sync_complaint(
    *,
    actor,
    contract: ComplaintContract,
    disputed_fen: int | None = None,
    result: ComplaintResult | None = None,
) -> LedgerItem:
    """Keep a complaint's contract in the ledger, so the two never disagree.

    Called by the complaint services, inside their transaction, when the
    debtor's response is recorded (`disputed_fen`) and when the result is
    submitted (`result`); the complaint action has already checked who
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
    if ITEM_TRANSITIONS.allowed(item.status, "sync_complaint"):
        _apply_complaint_facts(actor, item, contract, disputed_fen, result)
    item.status = status_after(item, "sync_complaint")
    payload = {
        "complaint": contract.complaint_id,
        "created": created,
        "disputed_fen": disputed_fen,
        "result": asdict(result) if result else None,
    }
    save_change(actor, item, None if created else before, verbs.SYNC_COMPLAINT, payload)
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
    actor, item, contract: ComplaintContract, disputed_fen, result: ComplaintResult | None
) -> None:
    if disputed_fen is not None:
        _record_dispute(actor, item, contract, disputed_fen)
    if result is not None:
        _apply_result(actor, item, contract, result)


def _apply_result(actor, item, contract: ComplaintContract, result: ComplaintResult) -> None:
    """The item is paid what was paid before the complaint and during its handling
    (payments the ledger already holds count: only the rest is added, as reported),
    and disputes what the result says is disputed."""
    missing = contract.amount_paid_fen + result.paid_fen - item.paid_fen
    top_up = min(missing, item.outstanding_fen)
    if top_up > 0:
        _reported_payment(actor, item, top_up, contract)
        item.paid_fen += top_up
    if min(result.disputed_fen, item.outstanding_fen) != item.disputed_fen:
        _record_dispute(actor, item, contract, result.disputed_fen)
    item.disputed_fen = min(item.disputed_fen, item.outstanding_fen)


def _record_dispute(actor, item, contract: ComplaintContract, disputed_fen: int) -> None:
    item.disputed_fen = min(disputed_fen, item.outstanding_fen)
    Confirmation.objects.create(
        item=item,
        kind=confirmation_kind(item.disputed_fen),
        disputed_fen=item.disputed_fen,
        note=contract.tracking_number,
        actor=acting_user(actor),
    )


def _reported_payment(actor, item, amount_fen: int, contract: ComplaintContract) -> None:
    Payment.objects.create(
        item=item,
        paid_on=timezone.localdate(),
        amount_fen=amount_fen,
        method=PaymentMethod.REPORTED,
        note=contract.tracking_number,
        recorded_by=acting_user(actor),
    )

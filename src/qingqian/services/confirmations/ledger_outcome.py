"""An answer reaches the ledger through the ledger's own services: the item of
the same contract (debtor, SME, contract number) is created if the ledger does
not hold it, owed the amount asked, and the debtor's answer is recorded on it
as a confirmation with its disputed part.

The debtor's representative is not a ledger keeper: as with a complaint's
contract, the item is created by the platform itself (actor None), kept by
the SME authority that supervises the debtor; the answer on it is recorded
with the representative as its author (None for the holder of a one-time link).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from qingqian.ledger.models import LedgerItem, Source
from qingqian.ledger.services import ledger_confirm, ledger_item_create, ledger_item_update
from qingqian.services.confirmations.authority import supervising_authority
from qingqian.services.models import ConfirmationRequest

NOTE = "receivable confirmation request {pk}"


def record_answer_in_ledger(request: ConfirmationRequest, *, answerer) -> LedgerItem:
    item = _item_of_contract(request)
    if item is None:
        item = _new_item(request)
    elif item.owed_fen != request.amount_fen:
        item = ledger_item_update(actor=None, item=item, owed_fen=request.amount_fen)
    ledger_confirm(
        actor=answerer,
        item=item,
        disputed_fen=request.disputed_fen,
        note=request.dispute_reason or NOTE.format(pk=request.pk),
    )
    item.refresh_from_db()  # the ledger's services changed their own copy
    return item


def _item_of_contract(request: ConfirmationRequest) -> LedgerItem | None:
    return LedgerItem.objects.filter(
        debtor=request.debtor, creditor=request.sme, contract_number=request.contract_number
    ).first()


def _new_item(request: ConfirmationRequest) -> LedgerItem:
    owner = supervising_authority(request.debtor.region_code)
    if owner is None:
        raise ValidationError(
            {"state": _("No SME authority covers the debtor's region: the ledger cannot be kept.")}
        )
    return ledger_item_create(
        actor=None,
        owner=owner,
        debtor=request.debtor,
        creditor=request.sme,
        contract_number=request.contract_number,
        contract_signed_on=request.contract_signed_on,
        due_on=request.due_on,
        owed_fen=request.amount_fen,
        subject=request.subject,
        source=Source.MANUAL,
        notes=NOTE.format(pk=request.pk),
    )

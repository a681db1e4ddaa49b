"""Ledger items: entered by their keepers, corrected, confirmed or disputed by the debtor."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qingqian.accounts.models import Organisation
from qingqian.core import audit
from qingqian.core.regions import province_code_of
from qingqian.ledger import verbs
from qingqian.ledger.models import Confirmation, LedgerItem, Payment, PaymentMethod, Source
from qingqian.ledger.permissions import owner_covers, require_answerer, require_keeper
from qingqian.ledger.rules import (
    check_amounts,
    check_parties,
    check_terms,
    confirmation_kind,
    derived_status,
)
from qingqian.ledger.services.changes import save_change
from qingqian.ledger.services.common import acting_user, lock_item, require_act, status_after
from qingqian.ledger.totals import Snapshot, record_change
from qingqian.parties import services as party_services
from qingqian.parties.models import Enterprise
from qingqian.parties.vocabulary import Notified

_DUPLICATE_CONTRACT = gettext_lazy("The ledger already holds this contract between these parties.")
EDITABLE_FIELDS = ("due_on", "owed_fen", "subject", "agreed_rate_percent", "notes")


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
    require_keeper(actor, debtor.region_code)
    contract_number = contract_number.strip()
    check_parties(debtor, creditor, signed_on=contract_signed_on)
    _check_new_item(owner, debtor, creditor, contract_number)
    check_terms(contract_signed_on, due_on, subject)
    check_amounts(owed_fen, paid_fen, disputed_fen)
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
            recorded_by=acting_user(actor),
        )
    record_change(None, item)
    audit.record(actor=actor, verb=verbs.ITEM_CREATE, target=item, payload=_item_payload(item))
    return item


def _debtor_of(actor, debtor: Enterprise | dict) -> Enterprise:
    if isinstance(debtor, Enterprise):
        return debtor
    require_keeper(actor, str(debtor.get("region_code", "")))  # before anything is written
    try:
        return party_services.enterprise_find_or_register_debtor(actor=actor, **debtor)
    except ValidationError as error:
        raise ValidationError({"debtor": error.messages}) from error


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


@transaction.atomic
def ledger_item_update(*, actor, item: LedgerItem, **changes) -> LedgerItem:
    """Correct an item's terms; payments and disputes have their own services."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    item = lock_item(item)
    require_keeper(actor, item.region_code)
    require_act(item, "update")
    before = Snapshot.of(item)
    previous = {name: getattr(item, name) for name in changes}
    for name, value in changes.items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    check_terms(item.contract_signed_on, item.due_on, item.subject)
    if item.owed_fen <= 0 or item.outstanding_fen < item.disputed_fen:
        raise ValidationError(
            {
                "owed_fen": _(
                    "The amount owed cannot be less than what is paid, disputed and written off."
                )
            }
        )
    item.status = status_after(item, "update")
    save_change(actor, item, before, verbs.ITEM_UPDATE, {"changes": changes, "previous": previous})
    return item


@transaction.atomic
def ledger_confirm(
    *, actor, item: LedgerItem, disputed_fen: int = 0, note: str = ""
) -> Confirmation:
    """The debtor confirms the outstanding amount, or disputes part or all of it."""
    item = lock_item(item)
    require_answerer(actor, item)
    require_act(item, "confirm")
    if disputed_fen < 0 or disputed_fen > item.outstanding_fen:
        raise ValidationError(
            {"disputed_fen": _("The disputed amount must be between 0 and the amount outstanding.")}
        )
    if disputed_fen and not note.strip():
        raise ValidationError({"note": _("Give the reason for the dispute.")})
    before = Snapshot.of(item)
    item.disputed_fen = disputed_fen
    item.status = status_after(item, "confirm")
    confirmation = Confirmation.objects.create(
        item=item,
        kind=confirmation_kind(disputed_fen),
        disputed_fen=disputed_fen,
        note=note.strip(),
        actor=acting_user(actor),
    )
    payload = {"kind": confirmation.kind, "disputed_fen": disputed_fen}
    save_change(actor, item, before, verbs.CONFIRM, payload)
    return confirmation

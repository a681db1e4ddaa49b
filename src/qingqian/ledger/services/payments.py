"""Payments: recorded by either side, with their evidence; reversed only by a keeper."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.core.money import to_yuan_str
from qingqian.ledger import verbs
from qingqian.ledger.models import LedgerItem, Payment, PaymentMethod
from qingqian.ledger.permissions import require_answerer, require_keeper
from qingqian.ledger.services.changes import save_change
from qingqian.ledger.services.common import acting_user, lock_item, require_act, status_after
from qingqian.ledger.services.evidence import ledger_evidence_add
from qingqian.ledger.totals import Snapshot


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
    item = lock_item(item)
    require_answerer(actor, item)
    require_act(item, "payment")
    _check_payment(item, paid_on, amount_fen, method)
    before = Snapshot.of(item)
    payment = Payment.objects.create(
        item=item,
        paid_on=paid_on,
        amount_fen=amount_fen,
        method=method,
        reference=reference.strip(),
        note=note.strip(),
        recorded_by=acting_user(actor),
    )
    _apply_paid(item, amount_fen)
    item.status = status_after(item, "payment")
    payload = {
        "payment": payment.pk,
        "amount_fen": amount_fen,
        "method": method,
        "paid_on": paid_on,
        "bill": payment.is_bill,
    }
    save_change(actor, item, before, verbs.PAYMENT, payload)
    if evidence is not None:
        _attach_evidence(actor, item, payment, evidence)
    return payment


def _check_payment(item: LedgerItem, paid_on: date, amount_fen: int, method: str) -> None:
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
    item = lock_item(payment.item)
    require_keeper(actor, item.region_code)
    require_act(item, "payment_reverse")
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
        recorded_by=acting_user(actor),
    )
    _apply_paid(item, -payment.amount_fen)
    item.status = status_after(item, "payment_reverse")
    payload = {"payment": payment.pk, "reversal": reversal.pk, "reason": reason.strip()}
    save_change(actor, item, before, verbs.PAYMENT_REVERSE, payload)
    return reversal


def _apply_paid(item: LedgerItem, amount_fen: int) -> None:
    item.paid_fen += amount_fen
    item.disputed_fen = min(item.disputed_fen, item.outstanding_fen)

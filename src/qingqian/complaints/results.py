"""What a complaint's result establishes in money, and its checks (pure: writes nothing).

A result records, within what the complaint says is outstanding, the amount
the debtor confirmed (of which paid during handling, and put in a repayment
plan) and the amount it disputes. Only a confirmed amount is paid or planned:
the disputed part goes to the legal route (Regulations 2025 Art. 15, the
undisputed part is paid on time). A result that gives no amount takes those
its kind implies for the whole outstanding amount (paid in full: all confirmed
and paid; plan: all confirmed and planned; disputed: all disputed).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from qingqian.complaints.models import Complaint, ResultKind
from qingqian.core.messages import yuan
from qingqian.ledger.services import ComplaintResult

AMOUNT_FIELDS = ("confirmed_fen", "disputed_fen", "paid_fen", "planned_fen")


def claimed_outstanding(complaint: Complaint) -> int:
    """What the complaint says is still owed: the amount a result accounts for."""
    return (complaint.amount_owed_fen or 0) - complaint.amount_paid_fen


def result_amounts(complaint: Complaint, kind: str, given: dict) -> ComplaintResult:
    """The amounts given, or, when none is, those the kind implies."""
    if any(given.get(name) is not None for name in AMOUNT_FIELDS):
        return ComplaintResult(**{name: given.get(name) or 0 for name in AMOUNT_FIELDS})
    whole = claimed_outstanding(complaint)
    return {
        ResultKind.PAID: ComplaintResult(confirmed_fen=whole, paid_fen=whole),
        ResultKind.PLAN: ComplaintResult(confirmed_fen=whole, planned_fen=whole),
        ResultKind.DISPUTED: ComplaintResult(disputed_fen=whole),
    }.get(kind, ComplaintResult())


def result_errors(complaint: Complaint, kind: str, amounts: ComplaintResult) -> dict:
    """The fields in error and why; empty when the amounts hold together."""
    errors = {
        name: _("Enter an amount of zero or more.")
        for name in AMOUNT_FIELDS
        if not isinstance(getattr(amounts, name), int) or getattr(amounts, name) < 0
    }
    if errors:
        return errors
    return (
        within_claim(complaint, amounts.confirmed_fen, amounts.disputed_fen)
        or _within_confirmed(amounts)
        or _fits_kind(kind, amounts)
    )


def within_claim(complaint: Complaint, confirmed_fen: int, disputed_fen: int) -> dict:
    """What the debtor confirms and disputes (in its response or in the result)
    together cannot be more than the complaint says is outstanding."""
    claimed = claimed_outstanding(complaint)
    total = confirmed_fen + disputed_fen
    if total <= claimed:
        return {}
    message = _(
        "Confirmed and disputed together come to %(total)s, more than the %(claimed)s "
        "the complaint says is outstanding."
    ) % {"total": yuan(total), "claimed": yuan(claimed)}
    return {"disputed_fen" if disputed_fen > claimed else "confirmed_fen": message}


def _within_confirmed(amounts: ComplaintResult) -> dict:
    total = amounts.paid_fen + amounts.planned_fen
    if total <= amounts.confirmed_fen:
        return {}
    message = _(
        "Paid and planned together come to %(total)s, more than the %(confirmed)s confirmed: "
        "only an undisputed amount is paid or put in a repayment plan."
    ) % {"total": yuan(total), "confirmed": yuan(amounts.confirmed_fen)}
    return {"planned_fen" if amounts.planned_fen else "paid_fen": message}


def _fits_kind(kind: str, amounts: ComplaintResult) -> dict:
    if kind == ResultKind.PAID and (
        amounts.disputed_fen or not amounts.paid_fen or amounts.paid_fen != amounts.confirmed_fen
    ):
        return {"paid_fen": _("Paid in full: the amount paid is the whole amount confirmed.")}
    if kind == ResultKind.PLAN and not amounts.planned_fen:
        return {"planned_fen": _("Enter the amount the repayment plan covers.")}
    if kind in (ResultKind.DISPUTED, ResultKind.PARTLY) and not amounts.disputed_fen:
        return {"disputed_fen": _("Enter the amount the debtor disputes.")}
    if kind == ResultKind.PARTLY and not amounts.confirmed_fen:
        return {"confirmed_fen": _("Enter the amount the debtor confirmed.")}
    return {}

"""The ledger's rules that write nothing: statuses from amounts, due dates, and
the checks of an item's terms, amounts and instalments. Shared by the services
and the importer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.accounts.models import Organisation
from qingqian.core.messages import COVERAGE_RULE
from qingqian.core.money import to_yuan_str
from qingqian.ledger.models import Confirmation, LedgerItem, LegalProceeding, Status
from qingqian.parties.coverage import may_name_as_debtor
from qingqian.parties.models import Enterprise
from qingqian.parties.vocabulary import Subject

MAX_INSTALMENTS = 120


# --- statuses ------------------------------------------------------------------------


def derived_status(item: LedgerItem) -> str:
    """Cleared when fully paid, written off when a decision for the debtor took
    the rest; in legal route while a proceeding is pending.

    Only an item that is (or was, until a reversal) in legal route can have a
    pending proceeding, so the usual case asks the database nothing.
    """
    if item.status == Status.WRITTEN_OFF:
        return Status.WRITTEN_OFF
    if item.outstanding_fen <= 0:
        return Status.WRITTEN_OFF if item.written_off_fen else Status.CLEARED
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


def confirmation_kind(disputed_fen: int) -> str:
    return Confirmation.Kind.DISPUTED if disputed_fen else Confirmation.Kind.CONFIRMED


# --- a complaint's contract ----------------------------------------------------------


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


@dataclass(frozen=True)
class ComplaintResult:
    """The amounts a complaint's result establishes, within what the complaint says
    is outstanding: confirmed by the debtor (of which paid during handling, and
    planned), and disputed."""

    confirmed_fen: int = 0
    disputed_fen: int = 0
    paid_fen: int = 0
    planned_fen: int = 0


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


# --- checks of what an act brings ----------------------------------------------------


def check_parties(debtor: Enterprise, creditor: Enterprise, *, signed_on: date) -> None:
    errors = {}
    if not may_name_as_debtor(debtor, signed_on):
        errors["debtor"] = str(COVERAGE_RULE)
    if creditor.type != Enterprise.Type.SME:
        errors["creditor"] = _("The creditor must be an SME.")
    if creditor.pk == debtor.pk:
        errors["creditor"] = _("The creditor and the debtor must be different enterprises.")
    if errors:
        raise ValidationError(errors)


def check_terms(signed_on: date, due_on: date, subject: str) -> None:
    errors = {}
    if signed_on > timezone.localdate():
        errors["contract_signed_on"] = _("The signing date cannot be in the future.")
    if due_on < signed_on:
        errors["due_on"] = _("The due date cannot be before the contract was signed.")
    if subject and subject not in Subject.values:
        errors["subject"] = _("Choose goods, works or services.")
    if errors:
        raise ValidationError(errors)


def check_amounts(owed_fen: int, paid_fen: int, disputed_fen: int) -> None:
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


def check_instalments(item: LedgerItem, instalments: list[tuple[date, int]]) -> None:
    """Increasing future dates, positive amounts, summing exactly to the undisputed
    amount outstanding: a plan pays what is due; the disputed part waits for its
    resolution (the legal route), not for a plan."""
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
    if total != item.undisputed_outstanding_fen:
        raise ValidationError({"instalments": _plan_total_message(item, total)})


def _plan_total_message(item: LedgerItem, total: int) -> str:
    due = {"due": to_yuan_str(item.undisputed_outstanding_fen)}
    if item.disputed_fen:
        due["disputed"] = to_yuan_str(item.disputed_fen)
        if total > item.undisputed_outstanding_fen:  # the sum may be beyond any amount: unsaid
            return (
                _(
                    "The instalments add up to more than the %(due)s yuan of undisputed arrears "
                    "outstanding: a plan does not cover the %(disputed)s yuan in dispute."
                )
                % due
            )
        return (
            _(
                "The instalments must add up to the %(due)s yuan of undisputed arrears "
                "outstanding (the %(disputed)s yuan in dispute is not part of a plan)."
            )
            % due
        )
    if total > item.undisputed_outstanding_fen:
        return _("The instalments add up to more than the %(due)s yuan outstanding.") % due
    return _("The instalments add up to %(total)s yuan, but %(due)s yuan is outstanding.") % {
        **due,
        "total": to_yuan_str(total),
    }

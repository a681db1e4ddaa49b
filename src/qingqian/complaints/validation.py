"""The checks a complaint must pass: loose for a draft, complete for submission."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Value
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qingqian.complaints.models import OPEN_STATES, TRANSFERRED_CHANNELS, Channel, Complaint
from qingqian.core.coverage import may_be_covered
from qingqian.core.messages import COVERAGE_RULE
from qingqian.core.queries import any_one
from qingqian.parties.coverage import may_name_as_debtor
from qingqian.parties.models import Enterprise
from qingqian.parties.services import debtor_particulars_errors
from qingqian.parties.vocabulary import Notified, Subject

CHOICES = {"channel": Channel, "subject": Subject, "sme_notified_at_signing": Notified}
DATES = ("contract_signed_on", "delivered_on", "payment_due_on")
TEXTS = {
    "contract_number": 64,
    "source_reference": 100,
    "request_text": 5000,
    "facts_text": 20000,
}
MAX_FEN = 10**17  # 10^15 yuan
# A debtor's particulars, as the debtor service takes them and the intake form
# asks for them; a draft may keep them before they name an enterprise.
DEBTOR_PARTICULARS = (
    "name",
    "uscc",
    "type",
    "region_code",
    "address",
    "contact_name",
    "contact_phone",
)


def validate_draft_fields(fields: dict, allowed: frozenset) -> None:
    """Types and ranges only: a draft may be incomplete, never malformed."""
    errors = {name: _("This field cannot be set here.") for name in set(fields) - allowed}
    for name, choices in CHOICES.items():
        if name in fields and fields[name] not in choices.values and fields[name] != "":
            errors[name] = _("Choose one of the options.")
    for name in DATES:
        value = fields.get(name)
        if value is not None and (not isinstance(value, date) or value.year < 1990):
            errors[name] = _("Enter a real date.")
    for name, limit in TEXTS.items():
        if name in fields and len(fields[name] or "") > limit:
            errors[name] = _("This text is longer than %(limit)s characters.") % {"limit": limit}
    for name in ("amount_owed_fen", "amount_paid_fen"):
        value = fields.get(name)
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < MAX_FEN
        ):
            errors[name] = _("Enter an amount of zero or more, in yuan with at most 2 decimals.")
    debtor = fields.get("debtor")
    if debtor is not None and not isinstance(debtor, Enterprise):
        errors["debtor"] = pgettext("complaint", "Choose the debtor.")
    if not _well_formed_particulars(fields.get("debtor_as_entered", {})):
        errors["debtor_as_entered"] = _("Enter the debtor's particulars as text.")
    if errors:
        raise ValidationError(errors)


def _well_formed_particulars(particulars) -> bool:
    return isinstance(particulars, dict) and all(
        name in DEBTOR_PARTICULARS
        and isinstance(value, str)
        and len(value) <= Enterprise._meta.get_field(name).max_length
        for name, value in particulars.items()
    )


def validate_for_submission(complaint: Complaint, *, on: date) -> None:
    """Everything the law and the measures ask of a complaint, each problem named by field."""
    errors = submission_errors(complaint, on=on)
    if errors:
        raise ValidationError(errors)
    _check_duplicate(complaint)


def submission_errors(complaint: Complaint, *, on: date) -> dict[str, str]:
    """Every problem that keeps the complaint from being submitted, by field, at once."""
    errors = {}
    _check_parties(complaint, on, errors)
    _check_arrears(complaint, errors)
    _check_dates(complaint, on, errors)
    _check_source(complaint, errors)
    if not complaint.request_text.strip():
        errors["request_text"] = _("State what you ask for.")
    if not complaint.facts_text.strip():
        errors["facts_text"] = _("Describe the facts: what was supplied, when, and what is unpaid.")
    if not complaint.undertaking:
        errors["undertaking"] = _(
            "Confirm that no court, arbitration body, other agency or mediation body "
            "has taken the matter up."
        )
    return errors


def _check_parties(complaint, on: date, errors) -> None:
    debtor = complaint.debtor
    if debtor is None:
        _check_kept_particulars(complaint, errors)
    elif debtor.uscc == complaint.complainant.uscc:
        errors["debtor"] = _("The debtor cannot be the complainant itself.")
    elif not may_name_as_debtor(debtor, complaint.contract_signed_on or on):
        errors["debtor"] = str(COVERAGE_RULE)


def _check_source(complaint, errors) -> None:
    """A transferred case is counted and traced by the sender's reference."""
    reference = complaint.source_reference.strip()
    if complaint.channel in TRANSFERRED_CHANNELS and not reference:
        errors["source_reference"] = _("Enter the sender's reference of the transferred complaint.")
    elif reference and complaint.channel not in TRANSFERRED_CHANNELS:
        errors["source_reference"] = _(
            "A sender's reference belongs to a complaint transferred by another body: "
            "choose the channel it came through."
        )


def _check_kept_particulars(complaint, errors) -> None:
    """A draft's particulars that do not name a debtor yet: each problem on its own."""
    particulars = complaint.debtor_as_entered
    if not particulars:
        errors["debtor"] = _("Name the debtor.")
        return
    errors.update(debtor_particulars_errors(**kept_particulars(complaint)))
    if particulars.get("uscc", "").strip().upper() == complaint.complainant.uscc:
        errors["debtor"] = _("The debtor cannot be the complainant itself.")
    elif particulars.get("type") and not may_be_covered(particulars["type"]):
        errors["type"] = str(COVERAGE_RULE)


def kept_particulars(complaint) -> dict[str, str]:
    """A draft's kept debtor particulars, every one of them (blank if not typed)."""
    return {name: complaint.debtor_as_entered.get(name, "") for name in DEBTOR_PARTICULARS}


def _check_arrears(complaint, errors) -> None:
    if not complaint.contract_number.strip():
        errors["contract_number"] = _(
            "Enter the contract number (the complainant must have a contract)."
        )
    if not complaint.subject:
        errors["subject"] = _("Say whether the contract was for goods, works or services.")
    owed, paid = complaint.amount_owed_fen, complaint.amount_paid_fen or 0
    if not owed or owed <= 0:
        errors["amount_owed_fen"] = _("Enter the amount owed; it must be more than zero.")
    elif paid >= owed:
        errors["amount_paid_fen"] = _("The amount already paid must be less than the amount owed.")


def _check_dates(complaint, on: date, errors) -> None:
    signed, delivered, due = (
        complaint.contract_signed_on,
        complaint.delivered_on,
        complaint.payment_due_on,
    )
    if signed is None:
        errors["contract_signed_on"] = _("Enter the contract signing date.")
    elif signed > on:
        errors["contract_signed_on"] = _("The signing date cannot be in the future.")
    if delivered is None:
        errors["delivered_on"] = _("Enter the delivery or acceptance date.")
    elif delivered > on:
        errors["delivered_on"] = _("The delivery date cannot be in the future.")
    elif signed and delivered < signed:
        errors["delivered_on"] = _("The delivery date cannot be before the signing date.")
    if due and signed and due < signed:
        errors["payment_due_on"] = _("The payment date cannot be before the signing date.")


def open_duplicates(complaint):
    """Open complaints of the same SME against the same debtor about the same
    contract (its number compared case-insensitively, as `iexact`, but written
    so that the index on UPPER(contract_number) serves it on both databases:
    a large debtor has thousands of complaints, and SQLite's LIKE reads them all)."""
    return (
        Complaint.objects.annotate(contract_key=Upper("contract_number"))
        .filter(
            contract_key=Upper(Value(complaint.contract_number.strip())),
            debtor=complaint.debtor,
            complainant=complaint.complainant,
            state__in=OPEN_STATES,
        )
        .exclude(pk=complaint.pk)
    )


def _check_duplicate(complaint) -> None:
    already_open = any_one(open_duplicates(complaint).only("pk", "tracking_number"))
    if already_open:
        link = format_html(
            '<a href="{}">{}</a>',
            reverse("complaint-detail", args=[already_open.pk]),
            already_open.tracking_number,
        )
        raise ValidationError(
            {
                "contract_number": format_html(
                    _("A complaint about this contract is already open: {}."), link
                )
            },
            code="duplicate",
        )


def similar_open_complaints(complaint):
    """Same parties, another contract: shown to the intake officer, not refused."""
    return (
        Complaint.objects.filter(
            complainant=complaint.complainant, debtor=complaint.debtor, state__in=OPEN_STATES
        )
        .exclude(pk=complaint.pk)
        .exclude(contract_number__iexact=complaint.contract_number)
    )

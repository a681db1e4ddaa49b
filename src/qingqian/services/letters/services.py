"""Audited writes of demand letters (催款函).

An SME user bound to its enterprise writes a letter from the facts of one
contract; the interest is computed once, by `core.interest.overdue_interest`
with the database LPR table, and stored with the letter together with its
basis, the days overdue and the articles relied on, so that the letter reads
the same forever. The letter's PDF can then be added to one of the SME's own
complaints as evidence, through the complaints app's evidence service.

Every service checks who acts, validates (a ValidationError naming the field;
nothing is written), changes, records one audit event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.accounts.permissions import Perm, require_perm
from qingqian.complaints.evidence import evidence_add, may_add_evidence
from qingqian.complaints.models import Complaint
from qingqian.core import audit
from qingqian.core.interest import InterestError, InterestResult, overdue_interest
from qingqian.core.messages import interest_error_label, uscc_error_message
from qingqian.core.selectors import load_calendar, load_lpr_table
from qingqian.core.uscc import check_uscc
from qingqian.core.workdays import Deadline, compute_deadline
from qingqian.parties.models import Enterprise
from qingqian.parties.vocabulary import DEBTOR_TYPES, Notified
from qingqian.services.letters import basis, verbs
from qingqian.services.letters.documents import letter_filename, render_letter_pdf
from qingqian.services.models import DemandLetter, DemandLetterAttachment, DemandLetterPayment

# The deadline to pay when the SME gives none: working days after the letter date.
DEFAULT_PAY_WORKING_DAYS = 10
MAX_TEXT = {"debtor_name": 200, "debtor_address": 255, "contract_number": 64, "contract_title": 200}

# Where `overdue_interest` names a field, the letter's own field of the same fact.
INTEREST_FIELDS = {
    "principal_fen": "principal_fen",
    "due_date": "due_on",
    "end_date": "interest_as_of",
    "signed_on": "contract_signed_on",
    "agreed_annual_rate": "agreed_rate_percent",
    "lpr": "agreed_rate_percent",
}


@dataclass(frozen=True)
class LetterFacts:
    """What the SME states about the debt, as plain values."""

    debtor_name: str
    debtor_uscc: str
    debtor_type: str
    contract_title: str
    contract_signed_on: date
    sme_notified_at_signing: str
    principal_fen: int
    due_on: date
    interest_as_of: date
    debtor_address: str = ""
    contract_number: str = ""
    agreed_rate_percent: Decimal | None = None
    payments: Sequence[tuple[date, int]] = ()
    letter_date: date | None = None
    pay_by: date | None = None


# --- writing a letter -------------------------------------------------------------------


@transaction.atomic
def demand_letter_create(*, actor, facts: LetterFacts) -> DemandLetter:
    """A demand letter by an SME user for its own enterprise, its figures computed now."""
    _require_bound_sme(actor)
    errors: dict[str, str] = {}
    uscc = _checked_facts(facts, errors)
    result = _interest(facts, errors)
    letter_date = facts.letter_date or timezone.localdate()
    pay_by = _pay_by(facts.pay_by, letter_date, errors)
    if errors:
        raise ValidationError(errors)
    articles = basis.articles_for(facts.contract_signed_on, facts.debtor_type)
    letter = DemandLetter.objects.create(
        owner=actor.enterprise,
        author=actor,
        debtor=Enterprise.objects.filter(uscc=uscc).first(),
        debtor_name=facts.debtor_name.strip(),
        debtor_uscc=uscc,
        debtor_address=facts.debtor_address.strip(),
        debtor_type=facts.debtor_type,
        contract_number=facts.contract_number.strip(),
        contract_title=facts.contract_title.strip(),
        contract_signed_on=facts.contract_signed_on,
        sme_notified_at_signing=facts.sme_notified_at_signing,
        principal_fen=facts.principal_fen,
        due_on=facts.due_on,
        interest_as_of=facts.interest_as_of,
        agreed_rate_percent=facts.agreed_rate_percent,
        letter_date=letter_date,
        pay_by=pay_by.date,
        pay_by_rule=pay_by.rule,
        pay_by_provisional=pay_by.provisional,
        interest_fen=result.total_fen,
        outstanding_fen=_outstanding(facts),
        days_overdue=(facts.interest_as_of - facts.due_on).days,
        basis_kind=result.basis.kind,
        applied_annual_percent=result.basis.annual_percent,
        lpr_percent=result.basis.lpr_percent,
        regulations_version=articles.version.year,
        signed_before_regulations=articles.signed_before_regulations,
    )
    DemandLetterPayment.objects.bulk_create(
        DemandLetterPayment(letter=letter, paid_on=day, amount_fen=fen)
        for day, fen in sorted(facts.payments)
    )
    audit.record(
        actor=actor,
        verb=verbs.DEMAND_LETTER_CREATE,
        target=letter,
        payload={
            "debtor_uscc": uscc,
            "principal_fen": letter.principal_fen,
            "interest_fen": letter.interest_fen,
            "basis": letter.basis_kind,
        },
    )
    return letter


def _require_bound_sme(actor) -> None:
    require_perm(actor, Perm.DEMAND_LETTER_WRITE)
    if getattr(actor, "enterprise_id", None) is None:
        raise PermissionDenied(
            _("Demand letters are written for your enterprise once your account is bound to it.")
        )


def _checked_facts(facts: LetterFacts, errors: dict[str, str]) -> str:
    """The facts the interest rule does not check; returns the normalised USCC."""
    if not facts.debtor_name.strip():
        errors["debtor_name"] = _("Enter the debtor's full name.")
    if not facts.contract_title.strip():
        errors["contract_title"] = _("Enter the contract's title.")
    for field, limit in MAX_TEXT.items():
        if len(getattr(facts, field)) > limit:
            errors[field] = _("At most %(limit)s characters.") % {"limit": limit}
    uscc = check_uscc(facts.debtor_uscc or "")
    if not uscc.valid:
        errors["debtor_uscc"] = uscc_error_message(uscc)
    if facts.debtor_type not in DEBTOR_TYPES:
        errors["debtor_type"] = _(
            "Choose an agency, a public institution or a large enterprise: the Regulations "
            "cover what these owe SMEs."
        )
    if facts.sme_notified_at_signing not in Notified.values:
        errors["sme_notified_at_signing"] = _("Say whether the buyer was told you are an SME.")
    if facts.interest_as_of <= facts.due_on:
        errors["interest_as_of"] = _("Count interest to a date after the due date.")
    if facts.due_on < facts.contract_signed_on:
        errors["due_on"] = _("The due date cannot be before the contract was signed.")
    if not errors.get("interest_as_of") and _outstanding(facts) <= 0:
        errors["payments"] = _("Nothing is outstanding: the payments cover the amount owed.")
    return uscc.code


def _outstanding(facts: LetterFacts) -> int:
    paid = sum(fen for day, fen in facts.payments if day <= facts.interest_as_of)
    return facts.principal_fen - paid


def _interest(facts: LetterFacts, errors: dict[str, str]) -> InterestResult | None:
    """The one computation of the interest, with the database LPR table."""
    try:
        return overdue_interest(
            facts.principal_fen,
            facts.due_on,
            list(facts.payments),
            facts.interest_as_of,
            agreed_annual_rate=facts.agreed_rate_percent,
            signed_on=facts.contract_signed_on,
            lpr_table=load_lpr_table(),
        )
    except InterestError as error:
        field = INTEREST_FIELDS.get(error.field, "payments")
        errors.setdefault(field, interest_error_label(error))
        return None


def _pay_by(pay_by: date | None, letter_date: date, errors: dict[str, str]) -> Deadline:
    """The SME's own deadline, or the default counted by the holiday calendar."""
    if pay_by is not None:
        if pay_by <= letter_date:
            errors["pay_by"] = _("The deadline to pay must be after the letter date.")
        return Deadline(pay_by, "")
    return compute_deadline(
        load_calendar(), letter_date, working_days=DEFAULT_PAY_WORKING_DAYS, allow_provisional=True
    )


# --- attaching a letter to a complaint ----------------------------------------------------


@transaction.atomic
def demand_letter_attach_to_complaint(
    *, actor, letter: DemandLetter, complaint: Complaint
) -> DemandLetterAttachment:
    """The letter's PDF added as evidence to the SME's own draft or open complaint."""
    _require_bound_sme(actor)
    if letter.owner_id != actor.enterprise_id:
        raise PermissionDenied(_("You may attach only your own enterprise's letters."))
    if complaint.complainant_id != actor.enterprise_id or not may_add_evidence(actor, complaint):
        raise ValidationError(
            {"complaint": _("Choose one of your enterprise's draft or open complaints.")}
        )
    if letter.attachments.filter(complaint=complaint).exists():
        raise ValidationError({"complaint": _("This letter is already attached to it.")})
    evidence = evidence_add(
        actor=actor,
        complaint=complaint,
        name=letter_filename(letter, "pdf"),
        data=render_letter_pdf(letter),
    )
    attachment = DemandLetterAttachment.objects.create(
        letter=letter, complaint=complaint, evidence=evidence, attached_by=actor
    )
    audit.record(
        actor=actor,
        verb=verbs.DEMAND_LETTER_ATTACH,
        target=letter,
        payload={"complaint": complaint.pk, "evidence": evidence.pk},
    )
    return attachment

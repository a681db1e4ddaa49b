"""What each role may do. Where it may do it is the scope (qingqian.core.scoping)."""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qingqian.accounts.models import Role


class Perm(StrEnum):
    ENTERPRISE_VIEW = "enterprise.view"
    ENTERPRISE_CREATE = "enterprise.create"
    ENTERPRISE_EDIT_ANY = "enterprise.edit_any"
    ENTERPRISE_EDIT_OWN = "enterprise.edit_own"
    ORGANISATION_VIEW = "organisation.view"
    ORGANISATION_MANAGE = "organisation.manage"
    USER_MANAGE = "user.manage"
    REFERENCE_EDIT = "reference.edit"
    AUDIT_VIEW = "audit.view"
    LEDGER_KEEP = "ledger.keep"
    LEDGER_ANSWER = "ledger.answer"
    STATS_VIEW = "stats.view"
    SUPERVISION_MANAGE = "supervision.manage"
    SIGNUP_REVIEW = "signup.review"
    COLLEAGUES_INVITE = "colleagues.invite"
    FINDINGS_MANAGE = "findings.manage"
    TYPICAL_CASE_MANAGE = "typical_case.manage"
    DISCLOSURE_FILE = "disclosure.file"
    DISCLOSURE_REVIEW = "disclosure.review"
    DISCLOSURE_PERIODS = "disclosure.periods"
    # The Regulations library (services.library).
    LIBRARY_EDIT = "library.edit"
    CONFIRMATION_REQUEST = "confirmation.request"
    CONFIRMATION_ANSWER = "confirmation.answer"
    CONFIRMATION_OVERSEE = "confirmation.oversee"
    LEGAL_AID_REQUEST = "legal_aid.request"
    LEGAL_AID_PROVIDE = "legal_aid.provide"
    LEGAL_AID_OVERSEE = "legal_aid.oversee"
    TRAINING_MANAGE = "training.manage"
    TRAINING_REGISTER = "training.register"
    DEMAND_LETTER_WRITE = "demand_letter.write"


# What each permission lets its holder do, in words its holder recognises. The
# one source for the roles page and the generated reference (`qingqian docs`);
# a test fails while a permission has none.
PERMISSION_DESCRIPTIONS = {
    Perm.ENTERPRISE_VIEW: gettext_lazy("See the enterprises within one's scope"),
    Perm.ENTERPRISE_CREATE: gettext_lazy("Register enterprises"),
    Perm.ENTERPRISE_EDIT_ANY: gettext_lazy(
        "Correct every field of an enterprise within one's scope"
    ),
    Perm.ENTERPRISE_EDIT_OWN: gettext_lazy("Update one's own enterprise's contact and size facts"),
    Perm.ORGANISATION_VIEW: gettext_lazy("See the authorities and handling departments"),
    Perm.ORGANISATION_MANAGE: gettext_lazy(
        "Add, rename, move and deactivate authorities and handling departments"
    ),
    Perm.USER_MANAGE: gettext_lazy(
        "Invite staff, change their role or organisation, deactivate accounts"
    ),
    Perm.REFERENCE_EDIT: gettext_lazy("Keep the reference data: holiday calendar, LPR, regions"),
    Perm.AUDIT_VIEW: gettext_lazy("Read the audit trail"),
    Perm.LEDGER_KEEP: gettext_lazy(
        "Keep the ledger: enter, import and correct items; record payments, plans, the legal route"
    ),
    Perm.LEDGER_ANSWER: gettext_lazy(
        "Answer for the debtor: confirm or dispute items, report payments"
    ),
    Perm.STATS_VIEW: gettext_lazy(
        "See dashboards, laggards and their drill-downs within one's scope"
    ),
    Perm.SUPERVISION_MANAGE: gettext_lazy(
        "Open, record and lift supervision cases; draft and approve notices"
    ),
    Perm.SIGNUP_REVIEW: gettext_lazy(
        "Check SMEs' business licences and bind their accounts to their enterprises"
    ),
    Perm.FINDINGS_MANAGE: gettext_lazy(
        "Propose, review, decide and publish findings of dishonesty; decide objections "
        "and credit repair"
    ),
    Perm.COLLEAGUES_INVITE: gettext_lazy(
        "Invite colleagues to act for one's own enterprise, once bound to it"
    ),
    Perm.TYPICAL_CASE_MANAGE: gettext_lazy(
        "Draft typical cases from closed complaints; review, approve, publish and withdraw them"
    ),
    Perm.DISCLOSURE_FILE: gettext_lazy(
        "File and correct one's own body's annual disclosure of overdue SME payments"
    ),
    Perm.DISCLOSURE_REVIEW: gettext_lazy(
        "See the annual disclosures within one's scope, their cross-check flags, "
        "late and missing filers; close flags"
    ),
    Perm.DISCLOSURE_PERIODS: gettext_lazy(
        "Set the disclosure periods and the cross-check tolerance (national level)"
    ),
    Perm.LIBRARY_EDIT: gettext_lazy(
        "Edit the Regulations library: articles, FAQ and guides, keeping every version"
    ),
    Perm.CONFIRMATION_REQUEST: gettext_lazy(
        "Ask a debtor to confirm an amount owed to one's own enterprise; withdraw the request"
    ),
    Perm.CONFIRMATION_ANSWER: gettext_lazy(
        "Confirm, partly confirm or dispute the amounts SMEs ask one's enterprise to confirm"
    ),
    Perm.CONFIRMATION_OVERSEE: gettext_lazy(
        "See the receivable confirmation requests to debtors within one's scope, and their breaches"
    ),
    Perm.LEGAL_AID_REQUEST: gettext_lazy(
        "Ask for legal aid or consulting for one's own enterprise and rate the answer"
    ),
    Perm.LEGAL_AID_PROVIDE: gettext_lazy(
        "Answer the legal aid requests assigned to one's legal service: accept or decline, "
        "set the appointment, record the outcome"
    ),
    Perm.LEGAL_AID_OVERSEE: gettext_lazy(
        "See the legal aid requests within one's jurisdiction and which are overdue"
    ),
    Perm.TRAINING_MANAGE: gettext_lazy(
        "Organise training events of one's authority: publish, cancel, hand out materials, "
        "record attendance"
    ),
    Perm.TRAINING_REGISTER: gettext_lazy("Register one's enterprise for training events"),
    Perm.DEMAND_LETTER_WRITE: gettext_lazy(
        "Write payment demand letters for one's own enterprise and attach them to its complaints"
    ),
}


ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.SME: frozenset(
        {
            Perm.ENTERPRISE_VIEW,
            Perm.ENTERPRISE_EDIT_OWN,
            Perm.COLLEAGUES_INVITE,
            Perm.CONFIRMATION_REQUEST,
            Perm.LEGAL_AID_REQUEST,
            Perm.TRAINING_REGISTER,
            Perm.DEMAND_LETTER_WRITE,
        }
    ),
    Role.DEBTOR: frozenset(
        {
            Perm.ENTERPRISE_VIEW,
            Perm.ENTERPRISE_EDIT_OWN,
            Perm.LEDGER_ANSWER,
            Perm.DISCLOSURE_FILE,
            Perm.CONFIRMATION_ANSWER,
        }
    ),
    Role.INTAKE: frozenset(
        {
            Perm.ENTERPRISE_VIEW,
            Perm.ENTERPRISE_CREATE,
            Perm.ENTERPRISE_EDIT_ANY,
            Perm.ORGANISATION_VIEW,
            Perm.LEDGER_KEEP,
            Perm.STATS_VIEW,
            Perm.SIGNUP_REVIEW,
            Perm.TYPICAL_CASE_MANAGE,
            Perm.DISCLOSURE_REVIEW,
            Perm.CONFIRMATION_OVERSEE,
            Perm.LEGAL_AID_OVERSEE,
            Perm.TRAINING_MANAGE,
        }
    ),
    Role.HANDLER: frozenset({Perm.ENTERPRISE_VIEW, Perm.ORGANISATION_VIEW, Perm.LEDGER_KEEP}),
    Role.SUPERVISOR: frozenset(
        {
            Perm.ENTERPRISE_VIEW,
            Perm.ORGANISATION_VIEW,
            Perm.AUDIT_VIEW,
            Perm.STATS_VIEW,
            Perm.SUPERVISION_MANAGE,
            Perm.FINDINGS_MANAGE,
            Perm.TYPICAL_CASE_MANAGE,
            Perm.DISCLOSURE_REVIEW,
            Perm.CONFIRMATION_OVERSEE,
            Perm.LEGAL_AID_OVERSEE,
            Perm.TRAINING_MANAGE,
        }
    ),
    Role.ADMIN: frozenset(Perm),
    Role.ADVISER: frozenset({Perm.LEGAL_AID_PROVIDE}),
}


def permission_matrix(table, permissions) -> list[tuple[str, str, list[bool]]]:
    """(permission, its description, [whether each role of the table has it])
    for each permission: the roles × permissions matrix, page and reference alike."""
    return [
        (perm, str(PERMISSION_DESCRIPTIONS.get(perm, "")), [perm in table[role] for role in table])
        for perm in permissions
    ]


def has_perm(actor, perm: Perm) -> bool:
    """actor None is the system itself (CLI, migrations of data, background jobs)."""
    if actor is None:
        return True
    if not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    return perm in ROLE_PERMISSIONS.get(actor.role, frozenset())


def require_perm(actor, perm: Perm) -> None:
    if not has_perm(actor, perm):
        raise PermissionDenied(_("You do not have permission to do this."))

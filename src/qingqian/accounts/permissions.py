"""What each role may do. Where it may do it is the scope (qingqian.core.scoping)."""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from qingqian.accounts.models import Role


class Perm(StrEnum):
    ENTERPRISE_VIEW = "enterprise.view"
    ENTERPRISE_CREATE = "enterprise.create"
    ENTERPRISE_EDIT_ANY = "enterprise.edit_any"  # every field, within scope
    ENTERPRISE_EDIT_OWN = "enterprise.edit_own"  # contact and size facts of one's own
    ORGANISATION_VIEW = "organisation.view"
    ORGANISATION_MANAGE = "organisation.manage"
    USER_MANAGE = "user.manage"
    REFERENCE_EDIT = "reference.edit"  # calendar, LPR, regions
    AUDIT_VIEW = "audit.view"
    LEDGER_KEEP = "ledger.keep"  # enter, import, correct; payments, plans, legal routes
    LEDGER_ANSWER = "ledger.answer"  # the debtor's side: confirm or dispute, report payments
    STATS_VIEW = "stats.view"  # dashboards, laggards and their drill-downs, within scope
    SUPERVISION_MANAGE = "supervision.manage"  # open, record, lift cases; draft and approve notices


ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.SME: frozenset({Perm.ENTERPRISE_VIEW, Perm.ENTERPRISE_EDIT_OWN}),
    Role.DEBTOR: frozenset({Perm.ENTERPRISE_VIEW, Perm.ENTERPRISE_EDIT_OWN, Perm.LEDGER_ANSWER}),
    Role.INTAKE: frozenset(
        {
            Perm.ENTERPRISE_VIEW,
            Perm.ENTERPRISE_CREATE,
            Perm.ENTERPRISE_EDIT_ANY,
            Perm.ORGANISATION_VIEW,
            Perm.LEDGER_KEEP,
            Perm.STATS_VIEW,
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
        }
    ),
    Role.ADMIN: frozenset(Perm),
}


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

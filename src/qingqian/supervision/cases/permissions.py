"""Who stands where on a supervision case (see `services` for the acts they may take).

* the *managing supervisors* of a case: SUPERVISION_MANAGE and an organisation
  that is the opening organisation or a level above it (`may_manage`);
* the *supervised organisation's people* (`supervised_people`): for a
  jurisdiction, the officials of its non-department organisations located
  there; for a handling department, the officials of it and of the units
  under it; for a debtor, its representatives. They report progress.
"""

from __future__ import annotations

from django.db.models import QuerySet

from qingqian.accounts.models import OFFICIAL_ROLES, Organisation, Role, User
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core.scoping import scope_for
from qingqian.supervision.models import PublicNotice, SupervisionCase

Subject = SupervisionCase.Subject


def supervised_people(case: SupervisionCase) -> QuerySet[User]:
    """The active people of the supervised organisation (they report progress)."""
    users = User.objects.filter(is_active=True)
    if case.subject == Subject.DEBTOR:
        return users.filter(role=Role.DEBTOR, enterprise_id=case.debtor_id).order_by("pk")
    officials = users.filter(role__in=OFFICIAL_ROLES)
    if case.subject == Subject.DEPARTMENT:
        return officials.filter(organisation__path__startswith=case.department.path).order_by("pk")
    return (
        officials.filter(organisation__region_code=case.region_code)
        .exclude(organisation__kind=Organisation.Kind.HANDLING_DEPARTMENT)
        .order_by("pk")
    )


def may_manage(actor, case: SupervisionCase) -> bool:
    """SUPERVISION_MANAGE, in the opening organisation or a level above it."""
    if actor is None or not has_perm(actor, Perm.SUPERVISION_MANAGE):
        return False
    organisation = getattr(actor, "organisation", None)
    if organisation is None:
        return False
    return case.opening_organisation.path.startswith(organisation.path)


def may_report_progress(actor, case: SupervisionCase) -> bool:
    """The supervised organisation's people, or an administrator whose scope covers the case."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_administrator:
        return scope_for(actor).covers_region(case.region_code)
    return supervised_people(case).filter(pk=actor.pk).exists()


def may_decide_notice(actor, notice: PublicNotice) -> bool:
    """A managing supervisor at the drafter's level or above, never the drafter (four eyes)."""
    if not may_manage(actor, notice.case) or notice.drafted_by_id == actor.pk:
        return False
    drafter_org = notice.drafted_by.organisation
    return drafter_org is not None and drafter_org.path.startswith(actor.organisation.path)

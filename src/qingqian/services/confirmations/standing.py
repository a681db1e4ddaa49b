"""Who a person is towards a confirmation request: a user of the requesting SME
(SME), a representative of the debtor (DEBTOR), or an official whose
jurisdiction covers the debtor (OFFICIAL, who reads but does not act)."""

from __future__ import annotations

from qingqian.accounts.models import Role
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core.scoping import scope_for
from qingqian.services.confirmations.transitions import DEBTOR, SME
from qingqian.services.models import ConfirmationRequest

OFFICIAL = "official"


def standing(actor, request: ConfirmationRequest) -> str | None:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return None
    if actor.role == Role.SME and actor.enterprise_id == request.sme_id:
        return SME if has_perm(actor, Perm.CONFIRMATION_REQUEST) else None
    if actor.role == Role.DEBTOR and actor.enterprise_id == request.debtor_id:
        return DEBTOR if has_perm(actor, Perm.CONFIRMATION_ANSWER) else None
    if actor.is_official and has_perm(actor, Perm.CONFIRMATION_OVERSEE):
        return OFFICIAL if scope_for(actor).covers_region(request.debtor.region_code) else None
    return None


def may_request(actor) -> bool:
    """An SME user whose account is bound to its enterprise."""
    return (
        actor is not None
        and actor.is_authenticated
        and actor.role == Role.SME
        and actor.enterprise_id is not None
        and has_perm(actor, Perm.CONFIRMATION_REQUEST)
    )

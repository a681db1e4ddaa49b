"""Who may act on a ledger item: its keepers, and the debtor for its own side."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from qingqian.accounts.models import Organisation, Role
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core.scoping import region_prefix, scope_for
from qingqian.ledger.models import LedgerItem


def may_keep(actor, region_code: str) -> bool:
    """Officials who keep ledgers, for items located in their jurisdiction."""
    if actor is None:
        return True
    return has_perm(actor, Perm.LEDGER_KEEP) and scope_for(actor).covers_region(region_code)


def may_answer(actor, item: LedgerItem) -> bool:
    """The debtor's representative, or a keeper of the item."""
    if actor is not None and actor.role == Role.DEBTOR:
        return has_perm(actor, Perm.LEDGER_ANSWER) and actor.enterprise_id == item.debtor_id
    return may_keep(actor, item.region_code)


def require_keeper(actor, region_code: str) -> None:
    if not may_keep(actor, region_code):
        raise PermissionDenied(_("You may not keep ledger items of this region."))


def require_answerer(actor, item: LedgerItem) -> None:
    if not may_answer(actor, item):
        raise PermissionDenied(_("You may not answer for this ledger item."))


def owner_covers(owner: Organisation, region_code: str) -> bool:
    """An organisation keeps items located in its own jurisdiction only."""
    return region_code.startswith(region_prefix(owner.region_code))

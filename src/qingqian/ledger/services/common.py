"""What every act on an item shares: the item locked, the act checked against
the item's transition table and the status it leads to, and the user to record
as its author."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from qingqian.ledger.models import LedgerItem
from qingqian.ledger.rules import derived_status
from qingqian.ledger.transitions import ITEM_TRANSITIONS


def lock_item(item: LedgerItem) -> LedgerItem:
    return LedgerItem.objects.select_for_update().get(pk=item.pk)


def require_act(item: LedgerItem, action: str) -> None:
    """Only closed items refuse an act, so the refusal says the item is closed."""
    if not ITEM_TRANSITIONS.allowed(item.status, action):
        raise ValidationError({"status": _("This item is closed: it is cleared or written off.")})


def status_after(item: LedgerItem, action: str) -> str:
    """Where the act leads: the table's target, or the amounts where the table sets none."""
    if ITEM_TRANSITIONS[action].target is None:
        return derived_status(item)
    return ITEM_TRANSITIONS.next_state(item.status, action)


def acting_user(actor):
    return actor if actor is not None and actor.is_authenticated else None

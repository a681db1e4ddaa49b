"""How every change to an existing item ends, whichever act made it."""

from __future__ import annotations

from qingqian.core import audit
from qingqian.ledger.models import LedgerItem
from qingqian.ledger.services.plans import close_plans_if_closed
from qingqian.ledger.totals import Snapshot, record_change


def save_change(actor, item: LedgerItem, before: Snapshot | None, verb: str, payload) -> None:
    """Save the item, end its plans if it closed, move its figures in the totals
    (`before` None: a new item), write the audit event."""
    item.save()
    close_plans_if_closed(item)
    record_change(before, item)
    audit.record(actor=actor, verb=verb, target=item, payload=payload)

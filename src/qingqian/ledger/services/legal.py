"""Legal routes: a keeper opens a proceeding for an item and records its outcome.

A proceeding is about the disputed part (Regulations 2025 Art. 15: the
undisputed part is paid on time): while it is pending, the item's undisputed
part stays due and is counted once, as undisputed outstanding; its outcome
changes only what was in dispute. A decision for the debtor writes the
disputed part off, one for the creditor makes it due.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.ledger import verbs
from qingqian.ledger.models import LedgerItem, LegalProceeding
from qingqian.ledger.permissions import require_keeper
from qingqian.ledger.services.changes import save_change
from qingqian.ledger.services.common import acting_user, lock_item, require_act, status_after
from qingqian.ledger.totals import Snapshot
from qingqian.ledger.transitions import PROCEEDING_TRANSITIONS

Outcome = LegalProceeding.Outcome


@transaction.atomic
def legal_route_open(
    *, actor, item: LedgerItem, kind: str, body: str, filed_on: date, case_number: str = ""
) -> LegalProceeding:
    item = lock_item(item)
    require_keeper(actor, item.region_code)
    require_act(item, "legal_open")
    if kind not in LegalProceeding.Kind.values:
        raise ValidationError({"kind": _("Choose litigation, arbitration or mediation.")})
    if not body.strip():
        raise ValidationError({"body": _("Name the court, arbitration body or mediator.")})
    if filed_on > timezone.localdate():
        raise ValidationError({"filed_on": _("The filing date cannot be in the future.")})
    before = Snapshot.of(item)
    proceeding = LegalProceeding.objects.create(
        item=item,
        kind=kind,
        body=body.strip(),
        case_number=case_number.strip(),
        filed_on=filed_on,
        created_by=acting_user(actor),
    )
    item.status = status_after(item, "legal_open")
    payload = {"proceeding": proceeding.pk, "kind": kind, "case_number": case_number}
    save_change(actor, item, before, verbs.LEGAL_OPEN, payload)
    return proceeding


@transaction.atomic
def legal_route_decide(
    *, actor, proceeding: LegalProceeding, outcome: str, decided_on: date, enforcement: str = ""
) -> LegalProceeding:
    """Record the outcome and apply it to the disputed part only."""
    item = lock_item(proceeding.item)
    require_keeper(actor, item.region_code)
    action = "write_off" if outcome == Outcome.FOR_DEBTOR else "legal_decide"
    require_act(item, action)
    proceeding = LegalProceeding.objects.select_for_update().get(pk=proceeding.pk)
    if not PROCEEDING_TRANSITIONS.actions_from(proceeding.outcome):
        raise ValidationError({"outcome": _("This proceeding already has an outcome.")})
    if outcome not in PROCEEDING_TRANSITIONS:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    if decided_on < proceeding.filed_on or decided_on > timezone.localdate():
        raise ValidationError(
            {"decided_on": _("The decision date must lie between filing and today.")}
        )
    before = Snapshot.of(item)
    proceeding.outcome = PROCEEDING_TRANSITIONS.next_state(proceeding.outcome, outcome)
    proceeding.decided_on = decided_on
    proceeding.enforcement = enforcement.strip()
    proceeding.save()
    decided_fen = _apply_decision(item, outcome)
    item.status = status_after(item, action)
    payload = {
        "proceeding": proceeding.pk,
        "outcome": outcome,
        "decided_on": decided_on,
        "disputed_fen": decided_fen,
    }
    save_change(actor, item, before, verbs.LEGAL_DECIDE, payload)
    return proceeding


def _apply_decision(item: LedgerItem, outcome: str) -> int:
    """What the decision changes: the disputed amount (returned) leaves the
    dispute, written off for the debtor, due for the creditor. A settlement's
    terms are recorded as payments and corrections by the keepers."""
    decided = item.disputed_fen
    if outcome == Outcome.FOR_DEBTOR:
        item.written_off_fen += decided
        item.disputed_fen = 0
    elif outcome == Outcome.FOR_CREDITOR:
        item.disputed_fen = 0
    return decided

"""Every write to the ledger: one audited service per act, totals kept in step.

Each service locks the item, checks who may act and that the item's transition
table allows the act, validates, changes the rows, moves the item's figures in
`LedgerTotal` and writes one audit event, all in one transaction: a refusal
writes nothing. One module per aggregate; this package names them all, with
the rules and permissions its callers (the views, the API, the importer, the
complaint workflow) reach through it.
"""

from qingqian.ledger.permissions import may_answer, may_keep
from qingqian.ledger.rules import (
    MAX_INSTALMENTS,
    ComplaintContract,
    ComplaintResult,
    confirmation_kind,
    derived_status,
    status_from_amounts,
)
from qingqian.ledger.services.complaint_sync import ledger_sync_complaint
from qingqian.ledger.services.evidence import ledger_evidence_add
from qingqian.ledger.services.items import ledger_confirm, ledger_item_create, ledger_item_update
from qingqian.ledger.services.legal import legal_route_decide, legal_route_open
from qingqian.ledger.services.payments import payment_record, payment_reverse
from qingqian.ledger.services.plans import close_plans, plan_create

__all__ = [
    "MAX_INSTALMENTS",
    "ComplaintContract",
    "ComplaintResult",
    "close_plans",
    "confirmation_kind",
    "derived_status",
    "ledger_confirm",
    "ledger_evidence_add",
    "ledger_item_create",
    "ledger_item_update",
    "ledger_sync_complaint",
    "legal_route_decide",
    "legal_route_open",
    "may_answer",
    "may_keep",
    "payment_record",
    "payment_reverse",
    "plan_create",
    "status_from_amounts",
]

"""The state machines of ledger items, repayment plans and legal proceedings:
tables, in code.

An item's status mostly follows its amounts: a target of None means the act
does not set the status itself, `rules.derived_status` computes it from the
amounts afterwards (a payment may clear the item, a reversal reopen it, a
decision for the debtor write it off when it leaves nothing else outstanding). What
the item table decides is which acts may start from a status: a cleared or
written-off item is closed to new payments, confirmations, plans and legal
routes, while its keepers may still correct it or reverse a wrong payment.

"Who" names a standing towards the item rather than a role: its keepers
(`permissions.may_keep`), the debtor (`permissions.may_answer`), and the
complaint workflow that keeps a complaint's contract in the ledger.
"""

from __future__ import annotations

from qingqian.core.transitions import TransitionTable, transition
from qingqian.ledger.models import LegalProceeding, RepaymentPlan, Status

KEEPER = "keeper"
DEBTOR = "debtor"
COMPLAINT_WORKFLOW = "complaint-workflow"

PlanState = RepaymentPlan.State
Outcome = LegalProceeding.Outcome

EVERY_STATUS = frozenset(Status.values)
OPEN = frozenset({Status.OUTSTANDING, Status.PARTLY_PAID, Status.LEGAL_ROUTE})

ITEM_TRANSITIONS = TransitionTable(
    [
        transition("update", EVERY_STATUS, None, KEEPER),
        transition("confirm", OPEN, None, KEEPER, DEBTOR),
        transition("payment", OPEN, None, KEEPER, DEBTOR),
        transition("payment_reverse", EVERY_STATUS, None, KEEPER),
        transition("plan", OPEN, None, KEEPER, DEBTOR),
        transition("legal_open", OPEN, Status.LEGAL_ROUTE, KEEPER),
        transition("legal_decide", EVERY_STATUS, None, KEEPER),
        # Decided for the debtor: the disputed part is written off; the item is
        # written off only if nothing else is outstanding (the amounts decide).
        transition("write_off", EVERY_STATUS, None, KEEPER),
        transition("evidence_add", EVERY_STATUS, None, KEEPER, DEBTOR),
        # A written-off item keeps its figures: the complaint's facts are no longer applied.
        transition("sync_complaint", EVERY_STATUS - {Status.WRITTEN_OFF}, None, COMPLAINT_WORKFLOW),
    ]
)

# A plan ends when a new plan replaces it or when its item closes (nothing more is due).
PLAN_TRANSITIONS = TransitionTable(
    [
        transition("replace", {PlanState.ACTIVE}, PlanState.REPLACED, KEEPER, DEBTOR),
        # Whatever act closes the item completes its plan, so no one standing takes this.
        transition("complete", {PlanState.ACTIVE}, PlanState.COMPLETED),
    ]
)

# A proceeding is pending until its one outcome is recorded; the action is the outcome.
PROCEEDING_TRANSITIONS = TransitionTable(
    [
        transition(outcome, {Outcome.PENDING}, outcome, KEEPER)
        for outcome in (Outcome.FOR_CREDITOR, Outcome.SETTLED, Outcome.FOR_DEBTOR)
    ]
)

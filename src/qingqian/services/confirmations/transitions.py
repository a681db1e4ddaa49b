"""A confirmation request's life as a table. "Who" is a standing towards the
request: the requesting SME's users (SME), the debtor's representatives or the
holder of the one-time link (DEBTOR), the daily job (SYSTEM).

An unanswered request lapses when its due date passes; the debtor may still
answer it late (the breach stays recorded) and the SME may still withdraw it.
"""

from __future__ import annotations

from qingqian.core.transitions import TransitionTable, transition
from qingqian.services.models import ConfirmationRequest

SME = "sme"
DEBTOR = "debtor"
SYSTEM = "system"

S = ConfirmationRequest.State
AWAITING = frozenset({S.REQUESTED, S.LAPSED})
ANSWERED = frozenset({S.CONFIRMED, S.PARTLY_CONFIRMED, S.DISPUTED})

CONFIRMATION_TRANSITIONS = TransitionTable(
    [
        transition("confirm", AWAITING, S.CONFIRMED, DEBTOR),
        transition("confirm-part", AWAITING, S.PARTLY_CONFIRMED, DEBTOR),
        transition("dispute", AWAITING, S.DISPUTED, DEBTOR),
        transition("withdraw", AWAITING, S.WITHDRAWN, SME),
        transition("lapse", {S.REQUESTED}, S.LAPSED, SYSTEM),
        transition("remind", {S.REQUESTED}, None, SYSTEM),
    ]
)


def answer_action(confirmed_fen: int, disputed_fen: int) -> str:
    """The answer's edge, from its split."""
    if not disputed_fen:
        return "confirm"
    return "dispute" if not confirmed_fen else "confirm-part"

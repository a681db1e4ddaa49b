"""The state machine of typical cases: drafted → reviewed → approved → published →
withdrawn, and back to drafted when a reviewer or approver returns it.

"Who" names a standing towards the case: its drafter; a reviewer (another
official who may manage typical cases where the case lies, never the drafter);
an approver (such an official at the drafter's level or above, never the
drafter: four eyes, as for public notices). The services decide who stands where.
"""

from __future__ import annotations

from qingqian.core.transitions import TransitionTable, transition
from qingqian.publication.models import TypicalCase

DRAFTER = "drafter"
REVIEWER = "reviewer"
APPROVER = "approver"

State = TypicalCase.State

TYPICAL_CASE_TRANSITIONS = TransitionTable(
    [
        transition("edit", {State.DRAFTED}, None, DRAFTER),
        transition("review", {State.DRAFTED}, State.REVIEWED, REVIEWER, APPROVER),
        transition("return", {State.REVIEWED, State.APPROVED}, State.DRAFTED, REVIEWER, APPROVER),
        transition("approve", {State.REVIEWED}, State.APPROVED, APPROVER),
        transition("publish", {State.APPROVED}, State.PUBLISHED, APPROVER),
        transition("withdraw", {State.PUBLISHED}, State.WITHDRAWN, APPROVER),
    ]
)

"""The complaint state machine, and its statutory clocks': tables, in code.

Each action names the states it may start from, the state it leads to (None
keeps the state), and the roles that may take it. Scope (which complaint a
person may act on at all) is the selector's business; whether this person
may take this action on it is `may_act` in services.
"""

from __future__ import annotations

from qingqian.accounts.models import Role
from qingqian.complaints.models import OPEN_STATES, Deadline, State
from qingqian.core.transitions import TransitionTable
from qingqian.core.transitions import transition as _t

TRANSITIONS = TransitionTable(
    [
        _t("submit", {State.DRAFT}, State.SUBMITTED, Role.SME, Role.INTAKE),
        _t("request-material", {State.SUBMITTED}, State.AWAITING_MATERIAL, Role.INTAKE),
        _t("resubmit", {State.AWAITING_MATERIAL}, State.SUBMITTED, Role.SME, Role.INTAKE),
        _t("accept", {State.SUBMITTED}, State.ACCEPTED, Role.INTAKE),
        _t("not-accept", {State.SUBMITTED}, State.NOT_ACCEPTED, Role.INTAKE),
        _t("transfer", {State.ACCEPTED}, State.TRANSFERRED, Role.INTAKE),
        _t("return", {State.TRANSFERRED}, State.ACCEPTED, Role.HANDLER),
        _t("debtor-response", {State.TRANSFERRED}, State.IN_HANDLING, Role.HANDLER, Role.DEBTOR),
        _t("extend", {State.IN_HANDLING}, None, Role.HANDLER),
        _t("supervision-order", {State.IN_HANDLING}, None, Role.HANDLER),
        _t("submit-result", {State.IN_HANDLING}, State.RESULT_REVIEW, Role.HANDLER),
        _t("approve-result", {State.RESULT_REVIEW}, State.RESOLVED, Role.INTAKE),
        _t("send-back", {State.RESULT_REVIEW}, State.IN_HANDLING, Role.INTAKE),
        _t("feedback", {State.RESOLVED}, State.CLOSED, Role.SME),
        _t("reopen", {State.RESOLVED, State.CLOSED}, State.ACCEPTED, Role.SME),
        _t("withdraw", OPEN_STATES, State.TERMINATED, Role.SME),
        _t("terminate", OPEN_STATES, State.TERMINATED, Role.INTAKE, Role.HANDLER),
    ]
)

Clock = Deadline.Status
RUNNING = {Clock.OPEN, Clock.PAUSED}

# A statutory clock (complaints/deadlines.py): the workflow moves it, no person does.
# A clock that ends while paused is resumed first, so it ends from running.
CLOCK_TRANSITIONS = TransitionTable(
    [
        _t("pause", {Clock.OPEN}, Clock.PAUSED),
        _t("resume", {Clock.PAUSED}, Clock.OPEN),
        _t("meet", {Clock.OPEN}, Clock.MET),
        _t("breach", {Clock.OPEN}, Clock.BREACHED),
        _t("extend", RUNNING, None),
        # A transfer returned as "not ours": the frozen transfer clock runs again.
        _t("reopen", {Clock.MET, Clock.BREACHED}, Clock.OPEN),
    ]
)


def allowed_actions(state: str, role: str) -> list[str]:
    """Actions the table allows from `state` for `role` (before scope and other checks)."""
    return TRANSITIONS.allowed_actions(state, role)

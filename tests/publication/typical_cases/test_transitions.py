"""Every edge of the typical case workflow, allowed and forbidden, walked through
the real services.

The edges are written out by hand from the issue (drafted → reviewed → approved
→ published → withdrawn; returned to the drafter from reviewed or approved; the
drafter edits a draft), not derived from the table under test: each allowed
(state, action) pair leads where it says, every other pair is refused with a
conflict and writes nothing.
"""

from __future__ import annotations

import pytest

from qingqian.core.models import AuditEvent
from qingqian.publication.models import TypicalCase
from qingqian.publication.typical_cases import services
from qingqian.publication.typical_cases.transitions import TYPICAL_CASE_TRANSITIONS

State = TypicalCase.State

EDGES = {
    (State.DRAFTED, "edit"): State.DRAFTED,
    (State.DRAFTED, "review"): State.REVIEWED,
    (State.REVIEWED, "return"): State.DRAFTED,
    (State.REVIEWED, "approve"): State.APPROVED,
    (State.APPROVED, "return"): State.DRAFTED,
    (State.APPROVED, "publish"): State.PUBLISHED,
    (State.PUBLISHED, "withdraw"): State.WITHDRAWN,
}
ACTIONS = ["edit", "review", "return", "approve", "publish", "withdraw"]
PAIRS = [(state, action) for state in State for action in ACTIONS]
# The way to each state, from a fresh draft.
PATH = {
    State.DRAFTED: [],
    State.REVIEWED: ["review"],
    State.APPROVED: ["review", "approve"],
    State.PUBLISHED: ["review", "approve", "publish"],
    State.WITHDRAWN: ["review", "approve", "publish", "withdraw"],
}


def test_the_table_holds_exactly_the_edges():
    assert set(TYPICAL_CASE_TRANSITIONS) == set(ACTIONS)
    found = {
        (state, action): TYPICAL_CASE_TRANSITIONS.next_state(state, action)
        for state, action in PAIRS
        if TYPICAL_CASE_TRANSITIONS.allowed(state, action)
    }
    assert found == EDGES


def take(action, case, *, drafter, approver):
    """The action as the one who may take it: the drafter edits, the approver decides."""
    if action == "edit":
        return services.typical_case_edit(
            actor=drafter, case=case, kind=case.kind, title="改后的标题", text="改后的正文"
        )
    if action == "return":
        return services.typical_case_return(actor=approver, case=case, note="请补充处理过程")
    if action == "approve":
        return services.typical_case_approve(actor=approver, case=case, name_debtor=False)
    if action == "withdraw":
        return services.typical_case_withdraw(
            actor=approver, case=case, note="案例信息有误，已撤回"
        )
    return {"review": services.typical_case_review, "publish": services.typical_case_publish}[
        action
    ](actor=approver, case=case)


def writes(case) -> tuple:
    case.refresh_from_db()
    return (
        AuditEvent.objects.count(),
        case.state,
        case.version,
        case.title,
        case.text,
        case.published_text,
        case.withdrawal_note,
    )


@pytest.mark.parametrize(("state", "action"), PAIRS)
def test_every_edge(typical_case, drafter, approver, state, action):
    case = typical_case
    for step in PATH[state]:
        case = take(step, case, drafter=drafter, approver=approver)
    assert case.state == state
    before = writes(case)
    if (state, action) in EDGES:
        case = take(action, case, drafter=drafter, approver=approver)
        assert case.state == EDGES[state, action]
        case.refresh_from_db()
        assert case.state == EDGES[state, action]
        assert case.version == before[2] + 1
        assert AuditEvent.objects.count() == before[0] + 1
        event = AuditEvent.objects.latest("seq")
        assert (event.payload["from"], event.payload["to"]) == (state, EDGES[state, action])
    else:
        with pytest.raises(services.TypicalCaseConflict):
            take(action, case, drafter=drafter, approver=approver)
        assert writes(case) == before

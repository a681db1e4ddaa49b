"""The shared state-machine table: every edge of a small table, allowed and forbidden."""

import pytest

from qingqian.core.transitions import ForbiddenTransition, TransitionTable, transition

STATES = ("draft", "sent", "done")
TABLE = TransitionTable(
    [
        transition("send", {"draft"}, "sent", "clerk"),
        transition("note", {"draft", "sent"}, None, "clerk", "boss"),
        transition("finish", {"sent"}, "done", "boss"),
    ]
)
# Written out by hand: (state, action) -> next state.
EDGES = {
    ("draft", "send"): "sent",
    ("draft", "note"): "draft",
    ("sent", "note"): "sent",
    ("sent", "finish"): "done",
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ["send", "note", "finish"])
def test_every_state_and_action(state, action):
    if (state, action) in EDGES:
        assert TABLE.allowed(state, action)
        assert TABLE.next_state(state, action) == EDGES[state, action]
    else:
        assert not TABLE.allowed(state, action)
        with pytest.raises(ForbiddenTransition, match=f"No transition '{action}' from state"):
            TABLE.next_state(state, action)


def test_who_may_take_an_action():
    assert TABLE.allowed("draft", "send", "clerk")
    assert not TABLE.allowed("draft", "send", "boss")
    assert TABLE.allowed_actions("sent", "boss") == ["note", "finish"]
    assert TABLE.allowed_actions("sent", "clerk") == ["note"]
    assert TABLE.actions_from("draft") == ["send", "note"]
    assert TABLE.actions_from("done") == []


def test_an_unknown_action_is_forbidden():
    assert not TABLE.allowed("draft", "shred")
    with pytest.raises(ForbiddenTransition):
        TABLE.next_state("draft", "shred")


def test_an_action_appears_once():
    with pytest.raises(ValueError, match="twice"):
        TransitionTable([transition("send", {"a"}, "b"), transition("send", {"b"}, "c")])


def test_the_table_reads_as_a_mapping():
    assert list(TABLE) == ["send", "note", "finish"]
    assert len(TABLE) == 3
    assert TABLE["finish"].roles == {"boss"}
    assert TABLE["note"].target is None

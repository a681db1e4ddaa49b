"""The import state machine: every edge of its table, allowed and forbidden,
and the run taking them on the stored record."""

import pytest

from qingqian.accounts.models import Organisation
from qingqian.core.models import AuditEvent
from qingqian.core.transitions import ForbiddenTransition
from qingqian.ledger.imports.run import ledger_import_fail, ledger_import_start
from qingqian.ledger.imports.transitions import TRANSITIONS, move, move_or_refuse
from qingqian.ledger.models import LedgerImport

State = LedgerImport.State
ACTIONS = ("start", "finish", "refuse", "fail", "reclaim")
# Written out by hand: (state, action) -> next state.
EDGES = {
    (State.QUEUED, "start"): State.RUNNING,
    (State.FAILED, "start"): State.RUNNING,
    (State.RUNNING, "finish"): State.DONE,
    (State.RUNNING, "refuse"): State.REFUSED,
    (State.RUNNING, "fail"): State.FAILED,
    (State.RUNNING, "reclaim"): State.RUNNING,
}


def test_the_table_has_the_actions_it_is_walked_for():
    assert tuple(TRANSITIONS) == ACTIONS


@pytest.mark.parametrize("state", State.values)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_state_and_action(state, action):
    if (state, action) in EDGES:
        assert TRANSITIONS.allowed(state, action)
        assert TRANSITIONS.next_state(state, action) == EDGES[state, action]
    else:
        assert not TRANSITIONS.allowed(state, action)
        with pytest.raises(ForbiddenTransition):
            TRANSITIONS.next_state(state, action)


def an_import(state: str) -> LedgerImport:
    owner = Organisation.objects.get(name="广东省中小企业主管部门")
    return LedgerImport.objects.create(
        owner=owner, original_name="r.csv", stored_name="x", sha256="0" * 64, size=1, state=state
    )


@pytest.mark.django_db
@pytest.mark.parametrize("state", State.values)
@pytest.mark.parametrize("action", ACTIONS)
def test_a_move_takes_exactly_the_edges_of_the_table(state, action):
    record = an_import(state)
    moved = move(record, action, message="moved")
    record.refresh_from_db()
    if (state, action) in EDGES:
        assert moved
        assert (record.state, record.message) == (EDGES[state, action], "moved")
    else:
        assert not moved
        assert (record.state, record.message) == (state, "")
        with pytest.raises(ForbiddenTransition, match=f"from state '{state}'"):
            move_or_refuse(record, action)


@pytest.mark.django_db
def test_a_second_start_of_a_running_import_is_refused():
    record = an_import(State.QUEUED)
    assert ledger_import_start(record=record)
    assert not ledger_import_start(record=record)
    record.refresh_from_db()
    assert record.state == State.RUNNING


@pytest.mark.django_db
@pytest.mark.parametrize("state", [State.DONE, State.REFUSED])
def test_an_error_after_an_import_finished_leaves_it_finished(state):
    record = an_import(state)
    ledger_import_fail(record=record, error=OSError())
    record.refresh_from_db()
    assert (record.state, record.finished_at) == (state, None)
    assert not AuditEvent.objects.filter(verb="ledger.import_failed").exists()

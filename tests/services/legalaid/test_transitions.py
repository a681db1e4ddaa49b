"""The life of a legal aid request: every allowed and every forbidden edge."""

import pytest

from qingqian.core.transitions import ForbiddenTransition
from qingqian.services.legalaid.transitions import AID_TRANSITIONS, OFFICIAL, PROVIDER, SME
from qingqian.services.models import AidRequest

S = AidRequest.State
OPEN = frozenset({S.REQUESTED, S.ACCEPTED, S.APPOINTMENT_SET})

EXPECTED = {
    ("assign", frozenset({S.REQUESTED}), None, OFFICIAL),
    ("accept", frozenset({S.REQUESTED}), S.ACCEPTED, PROVIDER),
    ("decline", frozenset({S.REQUESTED}), S.DECLINED, PROVIDER),
    ("appointment", frozenset({S.ACCEPTED, S.APPOINTMENT_SET}), S.APPOINTMENT_SET, PROVIDER),
    ("outcome", frozenset({S.ACCEPTED, S.APPOINTMENT_SET}), S.COMPLETED, PROVIDER),
    ("rate", frozenset({S.COMPLETED}), None, SME),
    ("withdraw", OPEN, S.WITHDRAWN, SME),
}


def test_the_table_is_exactly_the_expected_edges():
    table = {(action, t.sources, t.target, *t.roles) for action, t in AID_TRANSITIONS.items()}
    assert table == EXPECTED


@pytest.mark.parametrize("state", S.values)
@pytest.mark.parametrize("action", sorted(AID_TRANSITIONS))
def test_every_edge_is_allowed_exactly_from_its_states(state, action):
    sources, target = next((src, tgt) for name, src, tgt, _who in EXPECTED if name == action)
    assert AID_TRANSITIONS.allowed(state, action) == (state in sources)
    if state in sources:
        assert AID_TRANSITIONS.next_state(state, action) == (target or state)
    else:
        with pytest.raises(ForbiddenTransition):
            AID_TRANSITIONS.next_state(state, action)


def test_finished_requests_have_no_way_out_but_the_rating():
    for state in (S.DECLINED, S.WITHDRAWN):
        assert AID_TRANSITIONS.actions_from(state) == []
    assert AID_TRANSITIONS.actions_from(S.COMPLETED) == ["rate"]

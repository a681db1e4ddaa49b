"""Every edge of the disclosure and flag state machines, and every forbidden one,
through the services."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from qingqian.core.transitions import ForbiddenTransition
from qingqian.publication.disclosures import services
from qingqian.publication.disclosures.transitions import (
    AUTHORITY,
    DISCLOSURE_TRANSITIONS,
    FILED,
    FILER,
    FLAG_TRANSITIONS,
    NOT_FILED,
    SYSTEM,
    FlagState,
)
from qingqian.publication.models import DisclosureFlag

DISCLOSURE_STATES = [NOT_FILED, FILED]
FLAG_STATES = list(FlagState.values)

DISCLOSURE_EDGES = {("file", NOT_FILED): FILED, ("correct", FILED): FILED}
FLAG_EDGES = {
    ("close", FlagState.OPEN): FlagState.CLOSED,
    ("supersede", FlagState.OPEN): FlagState.SUPERSEDED,
}


@pytest.mark.parametrize("state", DISCLOSURE_STATES)
@pytest.mark.parametrize("action", list(DISCLOSURE_TRANSITIONS))
def test_disclosure_table(state, action):
    if (action, state) in DISCLOSURE_EDGES:
        assert DISCLOSURE_TRANSITIONS.next_state(state, action) == DISCLOSURE_EDGES[action, state]
        assert DISCLOSURE_TRANSITIONS.allowed(state, action, FILER)
        assert not DISCLOSURE_TRANSITIONS.allowed(state, action, AUTHORITY)
    else:
        with pytest.raises(ForbiddenTransition):
            DISCLOSURE_TRANSITIONS.next_state(state, action)


@pytest.mark.parametrize("state", FLAG_STATES)
@pytest.mark.parametrize("action", list(FLAG_TRANSITIONS))
def test_flag_table(state, action):
    if (action, state) in FLAG_EDGES:
        assert FLAG_TRANSITIONS.next_state(state, action) == FLAG_EDGES[action, state]
        who = AUTHORITY if action == "close" else SYSTEM
        assert FLAG_TRANSITIONS.allowed_actions(state, who) == [action]
    else:
        with pytest.raises(ForbiddenTransition):
            FLAG_TRANSITIONS.next_state(state, action)


def _file(rep, period, **figures):
    values = {"has_overdue": False, "overdue_count": 0, "overdue_amount_fen": 0, **figures}
    return services.disclosure_file(
        actor=rep, period=period, enterprise=rep.enterprise, on=date(2026, 5, 20), **values
    )


def _flagged(rep, period):
    return _file(rep, period, count_reason="未核对", amount_reason="未核对").flag


def test_file_then_correct_through_the_services(ledger_2025, rep, enterprise_2025):
    first = _file(rep, enterprise_2025, count_reason="未核对", amount_reason="未核对")
    assert first.disclosure.state == FILED and first.number == 1
    second = _file(
        rep,
        enterprise_2025,
        has_overdue=True,
        overdue_count=3,
        overdue_amount_fen=130_000_00,
        correction_reason="更正",
    )
    assert second.disclosure.state == FILED and second.number == 2


def test_close_an_open_flag_and_nothing_after(ledger_2025, rep, enterprise_2025, user):
    flag = _flagged(rep, enterprise_2025)
    closed = services.disclosure_flag_close(actor=user("gd-intake"), flag=flag, note="已约谈核实")
    assert (closed.state, closed.closed_by) == (FlagState.CLOSED, user("gd-intake"))
    with pytest.raises(services.DisclosureConflict):
        services.disclosure_flag_close(actor=user("gd-intake"), flag=flag, note="再次")


def test_a_superseded_flag_cannot_be_closed(ledger_2025, rep, enterprise_2025, user):
    flag = _flagged(rep, enterprise_2025)
    _file(
        rep,
        enterprise_2025,
        has_overdue=True,
        overdue_count=3,
        overdue_amount_fen=130_000_00,
        correction_reason="更正",
    )
    flag.refresh_from_db()
    assert flag.state == FlagState.SUPERSEDED
    with pytest.raises(services.DisclosureConflict):
        services.disclosure_flag_close(actor=user("gd-intake"), flag=flag, note="x")


def test_a_closed_flag_is_not_superseded_by_a_correction(ledger_2025, rep, enterprise_2025, user):
    flag = _flagged(rep, enterprise_2025)
    services.disclosure_flag_close(actor=user("gd-intake"), flag=flag, note="已核实")
    _file(
        rep,
        enterprise_2025,
        has_overdue=True,
        overdue_count=3,
        overdue_amount_fen=130_000_00,
        correction_reason="更正",
    )
    flag.refresh_from_db()
    assert flag.state == FlagState.CLOSED


def test_who_may_close_a_flag(ledger_2025, rep, enterprise_2025, user):
    from django.http import Http404

    flag = _flagged(rep, enterprise_2025)
    for username in ("js-intake", "gd-handler", "sme-demo"):
        with pytest.raises((Http404, PermissionDenied)):
            services.disclosure_flag_close(actor=user(username), flag=flag, note="x")
    with pytest.raises(Http404):
        services.disclosure_flag_close(actor=rep, flag=flag, note="x")
    flag.refresh_from_db()
    assert flag.state == DisclosureFlag.State.OPEN
    with pytest.raises(Exception) as refused:
        services.disclosure_flag_close(actor=user("supervisor"), flag=flag, note="  ")
    assert "note" in refused.value.message_dict

"""Every edge of the transition table and every forbidden edge, for every role.

The expected outcome is written out by hand from the table in issue 3 (who
may take which action), not derived from the code under test."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from qingqian.accounts.models import Organisation
from qingqian.complaints import services
from qingqian.complaints.errors import ComplaintConflict
from qingqian.complaints.models import State
from qingqian.complaints.transitions import TRANSITIONS

USERS = [
    "sme-demo",
    "sme-demo-2",
    "debtor-demo",
    "gd-intake",
    "js-intake",
    "miit-intake",
    "gd-handler",
    "js-handler",
    "supervisor",
    "admin",
]
# Who may take each action when the complaint is in a state the action starts from.
ALLOWED = {
    "submit": {"sme-demo", "gd-intake", "js-intake", "miit-intake"},
    "request-material": {"gd-intake", "miit-intake"},
    "resubmit": {"sme-demo", "gd-intake", "miit-intake"},
    "accept": {"gd-intake", "miit-intake"},
    "not-accept": {"gd-intake", "miit-intake"},
    "transfer": {"gd-intake", "miit-intake"},
    "return": {"gd-handler"},
    "debtor-response": {"gd-handler", "debtor-demo"},
    "extend": {"gd-handler"},
    "supervision-order": {"gd-handler"},
    "submit-result": {"gd-handler"},
    "approve-result": {"gd-intake", "miit-intake"},
    "send-back": {"gd-intake", "miit-intake"},
    "feedback": {"sme-demo"},
    "reopen": {"sme-demo"},
    "withdraw": {"sme-demo"},
    "terminate": {"gd-intake", "miit-intake"},  # + gd-handler once a department handles it
}
TARGET = {
    "submit": State.SUBMITTED,
    "request-material": State.AWAITING_MATERIAL,
    "resubmit": State.SUBMITTED,
    "accept": State.ACCEPTED,
    "not-accept": State.NOT_ACCEPTED,
    "transfer": State.TRANSFERRED,
    "return": State.ACCEPTED,
    "debtor-response": State.IN_HANDLING,
    "extend": State.IN_HANDLING,
    "supervision-order": State.IN_HANDLING,
    "submit-result": State.RESULT_REVIEW,
    "approve-result": State.RESOLVED,
    "send-back": State.IN_HANDLING,
    "feedback": State.CLOSED,
    "reopen": State.ACCEPTED,
    "withdraw": State.TERMINATED,
    "terminate": State.TERMINATED,
}
SOURCES = {
    "submit": {State.DRAFT},
    "request-material": {State.SUBMITTED},
    "resubmit": {State.AWAITING_MATERIAL},
    "accept": {State.SUBMITTED},
    "not-accept": {State.SUBMITTED},
    "transfer": {State.ACCEPTED},
    "return": {State.TRANSFERRED},
    "debtor-response": {State.TRANSFERRED},
    "extend": {State.IN_HANDLING},
    "supervision-order": {State.IN_HANDLING},
    "submit-result": {State.IN_HANDLING},
    "approve-result": {State.RESULT_REVIEW},
    "send-back": {State.RESULT_REVIEW},
    "feedback": {State.RESOLVED},
    "reopen": {State.RESOLVED, State.CLOSED},
    "withdraw": {
        State.SUBMITTED,
        State.AWAITING_MATERIAL,
        State.ACCEPTED,
        State.TRANSFERRED,
        State.IN_HANDLING,
        State.RESULT_REVIEW,
    },
    "terminate": {
        State.SUBMITTED,
        State.AWAITING_MATERIAL,
        State.ACCEPTED,
        State.TRANSFERRED,
        State.IN_HANDLING,
        State.RESULT_REVIEW,
    },
}
HANDLED_STATES = {State.TRANSFERRED, State.IN_HANDLING, State.RESULT_REVIEW}

# The path of actions (with their actors) that brings a new draft to each state.
PATHS = {
    State.DRAFT: [],
    State.SUBMITTED: [("submit", "sme-demo")],
    State.AWAITING_MATERIAL: [("submit", "sme-demo"), ("request-material", "gd-intake")],
    State.NOT_ACCEPTED: [("submit", "sme-demo"), ("not-accept", "gd-intake")],
    State.ACCEPTED: [("submit", "sme-demo"), ("accept", "gd-intake")],
    State.TRANSFERRED: [("submit", "sme-demo"), ("accept", "gd-intake"), ("transfer", "gd-intake")],
    State.IN_HANDLING: [
        ("submit", "sme-demo"),
        ("accept", "gd-intake"),
        ("transfer", "gd-intake"),
        ("debtor-response", "gd-handler"),
    ],
    State.RESULT_REVIEW: [
        ("submit", "sme-demo"),
        ("accept", "gd-intake"),
        ("transfer", "gd-intake"),
        ("debtor-response", "gd-handler"),
        ("submit-result", "gd-handler"),
    ],
    State.RESOLVED: [
        ("submit", "sme-demo"),
        ("accept", "gd-intake"),
        ("transfer", "gd-intake"),
        ("debtor-response", "gd-handler"),
        ("submit-result", "gd-handler"),
        ("approve-result", "gd-intake"),
    ],
    State.CLOSED: [
        ("submit", "sme-demo"),
        ("accept", "gd-intake"),
        ("transfer", "gd-intake"),
        ("debtor-response", "gd-handler"),
        ("submit-result", "gd-handler"),
        ("approve-result", "gd-intake"),
        ("feedback", "sme-demo"),
    ],
    State.TERMINATED: [("submit", "sme-demo"), ("withdraw", "sme-demo")],
}


def params(action):
    today = services.today()
    return {
        "request-material": {"note": "请补充验收单。"},
        "resubmit": {"note": "验收单已通过其他渠道寄送。"},
        "not-accept": {"ground": "taken_up", "note": "已由法院受理。"},
        "transfer": {"department": Organisation.objects.get(name="广东省财政厅")},
        "return": {"reason": "不属于本部门职责。"},
        "debtor-response": {"confirmed_fen": 100_000_00, "disputed_fen": 0},
        "extend": {"total_days": 60, "approved_by": "张厅长", "reason": "案情复杂。"},
        "supervision-order": {"due_on": today + timedelta(days=10), "note": "限期付款。"},
        "submit-result": {"kind": "paid", "text": "已全额支付。"},
        "send-back": {"comments": "请附付款凭证。"},
        "feedback": {"satisfied": True},
        "reopen": {"new_facts": "付款被退回。"},
        "terminate": {"reason": "已诉至法院。"},
    }.get(action, {})


def take(action, username, complaint, user):
    return services.ACTIONS[action](actor=user(username), complaint=complaint, **params(action))


def bring_to(state, draft, user):
    complaint = draft()
    for action, username in PATHS[state]:
        complaint = take(action, username, complaint, user)
    assert complaint.state == state
    return complaint


def test_the_code_table_is_the_documented_table():
    assert {a: set(t.sources) for a, t in TRANSITIONS.items()} == SOURCES
    assert {a: t.target or "same" for a, t in TRANSITIONS.items()} == {
        a: ("same" if a in {"extend", "supervision-order"} else s) for a, s in TARGET.items()
    }


class Rollback(Exception):
    pass


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(PATHS))
@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_every_edge_for_every_role(state, action, draft, user):
    complaint = bring_to(state, draft, user)
    allowed = set(ALLOWED[action])
    if action == "terminate" and state in HANDLED_STATES:
        allowed.add("gd-handler")
    for username in USERS:
        try:
            with transaction.atomic():
                outcome = _attempt(action, username, complaint, user)
                raise Rollback(outcome)
        except Rollback as result:
            outcome = result.args[0]
        if state not in SOURCES[action]:
            assert outcome == "conflict", (state, action, username, outcome)
        elif username in allowed:
            assert outcome == TARGET[action], (state, action, username, outcome)
        else:
            assert outcome == "forbidden", (state, action, username, outcome)
        complaint.refresh_from_db()
        assert complaint.state == state  # rolled back: nothing written


def _attempt(action, username, complaint, user):
    try:
        return take(action, username, complaint, user).state
    except ComplaintConflict:
        return "conflict"
    except PermissionDenied:
        return "forbidden"


@pytest.mark.django_db
def test_stale_version_is_refused(draft, user):
    complaint = bring_to(State.SUBMITTED, draft, user)
    seen = complaint.version
    services.complaint_request_material(
        actor=user("gd-intake"), complaint=complaint, note="补充", version=seen
    )
    services.complaint_resubmit(actor=user("sme-demo"), complaint=complaint, note="已补充。")
    with pytest.raises(ComplaintConflict):
        services.complaint_accept(actor=user("gd-intake"), complaint=complaint, version=seen)


@pytest.mark.django_db
def test_internal_notes_are_for_officials_working_on_the_complaint(draft, client_for, user):
    from qingqian.complaints.models import ComplaintEvent

    complaint = bring_to(State.TRANSFERRED, draft, user)
    for username in ("gd-intake", "gd-handler", "miit-intake"):
        services.complaint_add_internal_note(actor=user(username), complaint=complaint, text="内部")
    for username in ("js-intake", "js-handler", "sme-demo", "debtor-demo"):
        with pytest.raises(PermissionDenied):
            services.complaint_add_internal_note(
                actor=user(username), complaint=complaint, text="x"
            )
    assert ComplaintEvent.objects.filter(complaint=complaint, action="internal-note").count() == 3
    client_for("gd-handler").post(f"/complaints/{complaint.pk}/note/", {"text": "请核实发票"})
    assert (
        "请核实发票" in client_for("gd-intake").get(f"/complaints/{complaint.pk}/").content.decode()
    )
    for party in ("sme-demo", "debtor-demo"):
        assert (
            "请核实发票"
            not in client_for(party).get(f"/complaints/{complaint.pk}/").content.decode()
        )

"""Every edge of the ledger's state machines, allowed and forbidden.

The edges are written out by hand from the status checks the services made
before the tables existed (not derived from the tables under test): a cleared
or written-off item took no new confirmation, payment, plan or legal route;
its keepers could still correct it, reverse a payment, record a decision or
add evidence; a written-off item kept its figures when its complaint moved on.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from qingqian.core.models import AuditEvent
from qingqian.core.transitions import ForbiddenTransition
from qingqian.ledger import services
from qingqian.ledger.models import (
    Confirmation,
    LegalProceeding,
    Payment,
    RepaymentPlan,
    Status,
)
from qingqian.ledger.transitions import (
    ITEM_TRANSITIONS,
    PLAN_TRANSITIONS,
    PROCEEDING_TRANSITIONS,
)
from qingqian.parties.vocabulary import Notified

TODAY = timezone.localdate
PlanState = RepaymentPlan.State

EVERY_STATUS = set(Status)
OPEN = {Status.OUTSTANDING, Status.PARTLY_PAID, Status.LEGAL_ROUTE}
CLOSED = {Status.CLEARED, Status.WRITTEN_OFF}
DERIVED = "derived from the amounts"

ITEM_SOURCES = {
    "update": EVERY_STATUS,
    "confirm": OPEN,
    "payment": OPEN,
    "payment_reverse": EVERY_STATUS,
    "plan": OPEN,
    "legal_open": OPEN,
    "legal_decide": EVERY_STATUS,
    "write_off": EVERY_STATUS,
    "evidence_add": EVERY_STATUS,
    "sync_complaint": EVERY_STATUS - {Status.WRITTEN_OFF},
}
# A decision for the debtor writes off the disputed part: the amounts say whether
# that leaves the item written off.
ITEM_TARGETS = {"legal_open": Status.LEGAL_ROUTE}
Outcome = LegalProceeding.Outcome
# A pending proceeding takes one outcome; a decided one takes none.
PROCEEDING_EDGES = {
    (Outcome.PENDING, "for_creditor"): Outcome.FOR_CREDITOR,
    (Outcome.PENDING, "settled"): Outcome.SETTLED,
    (Outcome.PENDING, "for_debtor"): Outcome.FOR_DEBTOR,
}
PLAN_EDGES = {
    (PlanState.ACTIVE, "replace"): PlanState.REPLACED,
    (PlanState.ACTIVE, "complete"): PlanState.COMPLETED,
}


# --- the tables ----------------------------------------------------------------------------


def test_the_item_table_names_exactly_the_acts_of_the_services():
    assert set(ITEM_TRANSITIONS) == set(ITEM_SOURCES)


@pytest.mark.parametrize("action", ITEM_SOURCES)
@pytest.mark.parametrize("status", Status)
def test_every_item_edge(status, action):
    if status in ITEM_SOURCES[action]:
        assert ITEM_TRANSITIONS.allowed(status, action)
        target = ITEM_TRANSITIONS[action].target
        assert (target or DERIVED) == ITEM_TARGETS.get(action, DERIVED)
    else:
        assert not ITEM_TRANSITIONS.allowed(status, action)
        with pytest.raises(ForbiddenTransition):
            ITEM_TRANSITIONS.next_state(status, action)


@pytest.mark.parametrize("action", ["replace", "complete"])
@pytest.mark.parametrize("state", PlanState)
def test_every_plan_edge(state, action):
    assert set(PLAN_TRANSITIONS) == {"replace", "complete"}
    if (state, action) in PLAN_EDGES:
        assert PLAN_TRANSITIONS.next_state(state, action) == PLAN_EDGES[state, action]
    else:
        assert not PLAN_TRANSITIONS.allowed(state, action)
        with pytest.raises(ForbiddenTransition):
            PLAN_TRANSITIONS.next_state(state, action)


@pytest.mark.parametrize("action", ["for_creditor", "settled", "for_debtor"])
@pytest.mark.parametrize("outcome", Outcome)
def test_every_proceeding_edge(outcome, action):
    assert set(PROCEEDING_TRANSITIONS) == {"for_creditor", "settled", "for_debtor"}
    if (outcome, action) in PROCEEDING_EDGES:
        assert (
            PROCEEDING_TRANSITIONS.next_state(outcome, action) == PROCEEDING_EDGES[outcome, action]
        )
    else:
        assert not PROCEEDING_TRANSITIONS.allowed(outcome, action)
        with pytest.raises(ForbiddenTransition):
            PROCEEDING_TRANSITIONS.next_state(outcome, action)


@pytest.mark.parametrize("outcome", [Outcome.FOR_CREDITOR, Outcome.SETTLED, Outcome.FOR_DEBTOR])
def test_a_decided_proceeding_takes_no_second_outcome(make_item, user, outcome):
    proceeding = open_legal_route(make_item(), user)
    services.legal_route_decide(
        actor=user("gd-intake"), proceeding=proceeding, outcome=outcome, decided_on=TODAY()
    )
    events = AuditEvent.objects.count()
    with translation.override("en"), pytest.raises(ValidationError, match="already has an outcome"):
        services.legal_route_decide(
            actor=user("gd-intake"), proceeding=proceeding, outcome="settled", decided_on=TODAY()
        )
    proceeding.refresh_from_db()
    assert proceeding.outcome == outcome and AuditEvent.objects.count() == events


# --- through the services ------------------------------------------------------------------


def open_legal_route(item, user):
    return services.legal_route_open(
        actor=user("gd-intake"), item=item, kind="mediation", body="调解委员会", filed_on=TODAY()
    )


def item_in(status, make_item, user):
    if status == Status.PARTLY_PAID:
        item = make_item(owed_fen=300_00, paid_fen=100_00)
    elif status == Status.CLEARED:
        item = make_item(owed_fen=300_00, paid_fen=300_00)
    elif status == Status.WRITTEN_OFF:  # all of it in dispute, decided for the debtor
        item = make_item(owed_fen=300_00, disputed_fen=300_00)
    else:
        item = make_item(owed_fen=300_00)
    if status in (Status.LEGAL_ROUTE, Status.WRITTEN_OFF):
        proceeding = open_legal_route(item, user)
    if status == Status.WRITTEN_OFF:
        services.legal_route_decide(
            actor=user("gd-intake"), proceeding=proceeding, outcome="for_debtor", decided_on=TODAY()
        )
    item.refresh_from_db()
    assert item.status == status
    return item


def take(action, item, user):
    if action == "confirm":
        return services.ledger_confirm(actor=user("debtor-demo"), item=item, disputed_fen=0)
    if action == "payment":
        return services.payment_record(
            actor=user("debtor-demo"), item=item, paid_on=TODAY(), amount_fen=100, method="transfer"
        )
    if action == "plan":
        instalments = [(TODAY() + timedelta(days=5), item.outstanding_fen)]
        return services.plan_create(actor=user("debtor-demo"), item=item, instalments=instalments)
    return open_legal_route(item, user)


def writes(item) -> tuple:
    item.refresh_from_db()
    rows = (AuditEvent, Payment, Confirmation, RepaymentPlan, LegalProceeding)
    return (item.status, item.paid_fen, item.disputed_fen, *(m.objects.count() for m in rows))


# Where each act that only an open item takes leads, from each open status.
STATUS_AFTER = {
    ("payment", Status.OUTSTANDING): Status.PARTLY_PAID,
    ("payment", Status.PARTLY_PAID): Status.PARTLY_PAID,
    ("payment", Status.LEGAL_ROUTE): Status.LEGAL_ROUTE,
    **{("legal_open", status): Status.LEGAL_ROUTE for status in OPEN},
    **{(action, status): status for action in ("confirm", "plan") for status in OPEN},
}


@pytest.mark.parametrize("action", ["confirm", "payment", "plan", "legal_open"])
@pytest.mark.parametrize("status", Status)
def test_acts_of_an_open_item_through_the_services(make_item, user, status, action):
    item = item_in(status, make_item, user)
    before = writes(item)
    if status in OPEN:
        take(action, item, user)
        item.refresh_from_db()
        assert item.status == STATUS_AFTER[action, status]
        assert writes(item) != before
    else:
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            take(action, item, user)
        assert refused.value.message_dict == {
            "status": ["This item is closed: it is cleared or written off."]
        }
        assert writes(item) == before


def test_a_keeper_may_still_reverse_a_payment_of_a_cleared_item(make_item, user):
    item = item_in(Status.PARTLY_PAID, make_item, user)
    payment = services.payment_record(
        actor=user("gd-intake"), item=item, paid_on=TODAY(), amount_fen=200_00, method="transfer"
    )
    item.refresh_from_db()
    assert item.status == Status.CLEARED
    services.payment_reverse(actor=user("gd-intake"), payment=payment, reason="退票")
    item.refresh_from_db()
    assert item.status == Status.PARTLY_PAID


def test_a_keeper_may_still_correct_a_written_off_item(make_item, user):
    item = item_in(Status.WRITTEN_OFF, make_item, user)
    services.ledger_item_update(actor=user("gd-intake"), item=item, notes="法院裁定核销")
    item.refresh_from_db()
    assert (item.status, item.notes) == (Status.WRITTEN_OFF, "法院裁定核销")


def test_only_active_plans_complete_when_their_item_closes(make_item, user):
    item = item_in(Status.OUTSTANDING, make_item, user)
    first = take("plan", item, user)
    second = take("plan", item, user)  # replaces the first
    services.close_plans([item.pk])
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (PlanState.REPLACED, PlanState.COMPLETED)


@pytest.mark.parametrize(
    ("status", "after"),
    [(Status.OUTSTANDING, (Status.CLEARED, 300_00)), (Status.WRITTEN_OFF, (Status.WRITTEN_OFF, 0))],
)
def test_a_complaint_paid_in_full_clears_its_item_unless_written_off(
    make_item, user, gd_authority, status, after
):
    item = item_in(status, make_item, user)
    contract = services.ComplaintContract(
        complaint_id=1,
        tracking_number="QQ-2026-000001",
        accepting_authority=gd_authority,
        debtor=item.debtor,
        complainant=item.creditor,
        contract_number=item.contract_number,
        contract_signed_on=item.contract_signed_on,
        delivered_on=None,
        payment_due_on=item.due_on,
        subject=item.subject,
        amount_owed_fen=item.owed_fen,
        amount_paid_fen=0,
        sme_notified_at_signing=Notified.UNKNOWN,
    )
    services.ledger_sync_complaint(
        actor=user("gd-handler"),
        contract=contract,
        result=services.ComplaintResult(confirmed_fen=300_00, paid_fen=300_00),
    )
    item.refresh_from_db()
    assert (item.status, item.paid_fen) == after

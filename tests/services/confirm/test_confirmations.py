"""Receivable confirmation: the table (every allowed and forbidden edge), the
30-day clock on the real 2025/2026 calendars, what a request must bring, the
answer's split in the ledger, the one-time link, and who may act."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qingqian.core.audit import AuditEvent
from qingqian.demo import demo_uscc
from qingqian.ledger.models import Confirmation, LedgerItem
from qingqian.parties.models import Enterprise
from qingqian.services.confirmations import selectors, services
from qingqian.services.confirmations.links import link_token
from qingqian.services.confirmations.transitions import (
    CONFIRMATION_TRANSITIONS,
    DEBTOR,
    SME,
    SYSTEM,
)
from qingqian.services.models import ConfirmationRequest
from tests.services.confirm.requests import YUAN, answer, send

S = ConfirmationRequest.State
pytestmark = pytest.mark.django_db

AWAITING = frozenset({S.REQUESTED, S.LAPSED})
EXPECTED = {
    ("confirm", AWAITING, S.CONFIRMED, DEBTOR),
    ("confirm-part", AWAITING, S.PARTLY_CONFIRMED, DEBTOR),
    ("dispute", AWAITING, S.DISPUTED, DEBTOR),
    ("withdraw", AWAITING, S.WITHDRAWN, SME),
    ("lapse", frozenset({S.REQUESTED}), S.LAPSED, SYSTEM),
    ("remind", frozenset({S.REQUESTED}), None, SYSTEM),
}


def test_the_table_is_the_procedure():
    table = {
        (action, t.sources, t.target, *t.roles) for action, t in CONFIRMATION_TRANSITIONS.items()
    }
    assert table == EXPECTED


@pytest.mark.parametrize("state", S.values)
@pytest.mark.parametrize("action", sorted(CONFIRMATION_TRANSITIONS))
def test_every_edge_is_allowed_exactly_from_its_states(state, action):
    sources = next(sources for name, sources, *_ in EXPECTED if name == action)
    assert CONFIRMATION_TRANSITIONS.allowed(state, action) == (state in sources)


# --- the clock ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requested_on", "due"),
    [
        # Day 30 is 2025-10-01, inside the National Day and Mid-Autumn holiday
        # (10-1..10-8): the next working day is Thursday 10-9 (Civil Code Art. 203).
        (date(2025, 9, 1), date(2025, 10, 9)),
        # Day 30 is 2026-10-01, National Day (10-1..10-7 off): Thursday 10-8.
        (date(2026, 9, 1), date(2026, 10, 8)),
        # Day 30 is Saturday 2026-11-07, an ordinary weekend: Monday 11-9.
        (date(2026, 10, 8), date(2026, 11, 9)),
        # Day 30 is Wednesday 2026-04-01, a working day: it stands.
        (date(2026, 3, 2), date(2026, 4, 1)),
    ],
)
def test_the_answer_is_due_30_days_after_the_request_on_the_calendar(debtor, requested_on, due):
    request = send(debtor=debtor, on=requested_on)
    assert request.answer_due_on == due
    assert not request.answer_due_provisional
    assert "30 calendar days" in request.answer_due_rule


# --- the request ----------------------------------------------------------------------


def test_a_request_names_both_parties_in_its_audit_event(debtor, creditor):
    request = send(debtor=debtor)
    assert (request.sme, request.debtor, request.state) == (creditor, debtor, S.REQUESTED)
    event = AuditEvent.objects.get(verb="confirmations.send", target_id=str(request.pk))
    assert event.payload["sme"] == creditor.uscc
    assert event.payload["debtor"] == debtor.uscc
    assert len(request.link_token_hash) == 64 and link_token(request) != request.link_token_hash


def test_an_unknown_debtor_is_registered_from_its_particulars():
    debtor = {
        "uscc": demo_uscc("440106", 99),
        "name": "广州市某区交通运输局",
        "type": "agency",
        "region_code": "440106",
    }
    request = send(debtor=debtor)
    assert request.debtor.uscc == demo_uscc("440106", 99)
    assert request.debtor.type == Enterprise.Type.AGENCY


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount_fen": 0}, "amount_fen"),
        ({"contract_number": "  "}, "contract_number"),
        ({"due_on": date(2025, 1, 1)}, "due_on"),
        (
            {"contract_signed_on": date(2099, 1, 1), "due_on": date(2099, 2, 1)},
            "contract_signed_on",
        ),
    ],
)
def test_a_refused_request_names_the_field_and_writes_nothing(debtor, overrides, field):
    before = ConfirmationRequest.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        send(debtor=debtor, **overrides)
    assert field in refused.value.message_dict
    assert (ConfirmationRequest.objects.count(), AuditEvent.objects.count()) == before


def test_the_sme_cannot_ask_itself_nor_another_sme(creditor):
    with pytest.raises(ValidationError) as itself:
        send(debtor=creditor)
    assert "debtor" in itself.value.message_dict
    other_sme = Enterprise.objects.filter(type=Enterprise.Type.SME).exclude(pk=creditor.pk)[0]
    with pytest.raises(ValidationError) as sme:
        send(debtor=other_sme)
    assert "debtor" in sme.value.message_dict  # the Regulations cover SMEs' claims on others


def test_one_awaiting_request_per_contract(debtor):
    send(debtor=debtor)
    with pytest.raises(ValidationError) as twice:
        send(debtor=debtor)
    assert "contract_number" in twice.value.message_dict


@pytest.mark.parametrize("username", ["debtor-demo", "gd-intake", "admin"])
def test_only_a_bound_sme_user_sends(user, debtor, username):
    with pytest.raises(PermissionDenied):
        send(debtor=debtor, actor=user(username))


# --- the answer and the ledger --------------------------------------------------------


def test_a_partial_confirmation_creates_the_ledger_item_with_its_split(user, debtor, creditor):
    request = send(debtor=debtor)
    request = answer(
        request, confirmed=70_000 * YUAN, disputed=30_000 * YUAN, reason="部分工程量未验收"
    )
    assert request.state == S.PARTLY_CONFIRMED
    assert not request.breached
    item = LedgerItem.objects.get(pk=request.ledger_item_id)
    assert (item.debtor, item.creditor, item.contract_number) == (debtor, creditor, "QR-2026-001")
    assert item.owed_fen == 100_000 * YUAN
    assert item.disputed_fen == 30_000 * YUAN
    assert item.outstanding_fen == 100_000 * YUAN
    assert item.undisputed_outstanding_fen == 70_000 * YUAN
    # Kept by the nearest authority covering Guangzhou's Yuexiu district: Guangzhou's.
    assert item.owner.region_code == "440100"
    confirmation = Confirmation.objects.get(item=item)
    assert (confirmation.kind, confirmation.actor) == ("disputed", user("debtor-demo"))
    event = AuditEvent.objects.get(verb="confirmations.answer", target_id=str(request.pk))
    assert (event.payload["sme"], event.payload["debtor"]) == (creditor.uscc, debtor.uscc)
    assert event.payload["disputed_fen"] == 30_000 * YUAN


def test_an_answer_updates_the_ledger_item_of_the_same_contract(debtor, make_item):
    item = make_item(contract_number="QR-2026-001", owed_fen=90_000 * YUAN)
    request = send(debtor=debtor)
    request = answer(request, confirmed=100_000 * YUAN, disputed=0)
    assert request.state == S.CONFIRMED
    assert request.ledger_item_id == item.pk
    item.refresh_from_db()
    assert (item.owed_fen, item.disputed_fen) == (100_000 * YUAN, 0)
    assert LedgerItem.objects.filter(contract_number="QR-2026-001").count() == 1


def test_a_full_dispute(debtor):
    request = answer(send(debtor=debtor), confirmed=0, disputed=100_000 * YUAN, reason="未交付")
    assert request.state == S.DISPUTED
    assert request.ledger_item.undisputed_outstanding_fen == 0


@pytest.mark.parametrize(
    ("confirmed", "disputed", "reason", "field"),
    [
        (60_000 * YUAN, 30_000 * YUAN, "x", "disputed_fen"),  # does not add up
        (70_000 * YUAN, 30_000 * YUAN, "", "reason"),  # a dispute needs its reason
        (-1, 100_000 * YUAN + 1, "x", "confirmed_fen"),
    ],
)
def test_a_refused_answer_names_the_field_and_writes_nothing(
    debtor, confirmed, disputed, reason, field
):
    request = send(debtor=debtor)
    items = LedgerItem.objects.count()
    with pytest.raises(ValidationError) as refused:
        answer(request, confirmed=confirmed, disputed=disputed, reason=reason)
    assert field in refused.value.message_dict
    request.refresh_from_db()
    assert request.state == S.REQUESTED and LedgerItem.objects.count() == items


@pytest.mark.parametrize("username", ["sme-demo", "gd-intake", "sme-demo-2"])
def test_only_the_debtors_representative_answers(user, debtor, username):
    request = send(debtor=debtor)
    with pytest.raises(PermissionDenied):
        answer(request, confirmed=100_000 * YUAN, disputed=0, actor=user(username))


def test_a_request_answered_cannot_be_answered_or_withdrawn_again(user, debtor):
    request = answer(send(debtor=debtor), confirmed=100_000 * YUAN, disputed=0)
    with pytest.raises(ValidationError):
        answer(request, confirmed=100_000 * YUAN, disputed=0)
    with pytest.raises(ValidationError):
        services.confirmation_request_withdraw(actor=user("sme-demo"), request=request)


def test_the_sme_withdraws_and_the_link_dies(user, debtor):
    request = send(debtor=debtor)
    token = link_token(request)
    request = services.confirmation_request_withdraw(actor=user("sme-demo"), request=request)
    assert request.state == S.WITHDRAWN
    assert selectors.request_for_link(token, on=date(2026, 10, 9)) is None
    with pytest.raises(PermissionDenied):
        services.confirmation_request_withdraw(actor=user("debtor-demo"), request=request)


# --- the one-time link ----------------------------------------------------------------


def link_answer(request, token, on=date(2026, 10, 20)):
    return answer(
        request,
        actor=None,
        token=token,
        answerer_name="财务部 张会计",
        confirmed=80_000 * YUAN,
        disputed=20_000 * YUAN,
        reason="质保金未到期",
        on=on,
    )


def test_the_one_time_link_answers_once(debtor):
    request = send(debtor=debtor)
    token = link_token(request)
    assert selectors.request_for_link(token, on=date(2026, 10, 20)) == request
    request = link_answer(request, token)
    assert (request.state, request.answer_channel) == (S.PARTLY_CONFIRMED, "link")
    assert request.answered_by is None and request.answerer_name == "财务部 张会计"
    assert request.ledger_item.disputed_fen == 20_000 * YUAN
    assert selectors.request_for_link(token, on=date(2026, 10, 20)) is None
    with pytest.raises(PermissionDenied):
        link_answer(request, token)


def test_the_link_expires_at_the_answer_due_date(debtor):
    request = send(debtor=debtor)  # due 2026-11-09
    token = link_token(request)
    assert selectors.request_for_link(token, on=date(2026, 11, 9)) == request
    assert selectors.request_for_link(token, on=date(2026, 11, 10)) is None
    with pytest.raises(PermissionDenied):
        link_answer(request, token, on=date(2026, 11, 10))


def test_a_wrong_token_opens_nothing(debtor):
    request = send(debtor=debtor)
    token = link_token(request)
    wrong = token[:-1] + ("1" if token.endswith("0") else "0")  # one in 16 ends in "0"
    assert selectors.request_for_link(wrong, on=date(2026, 10, 20)) is None
    with pytest.raises(PermissionDenied):
        link_answer(request, wrong)


def test_the_link_holder_gives_a_name(debtor):
    request = send(debtor=debtor)
    with pytest.raises(ValidationError) as refused:
        answer(
            request,
            actor=None,
            token=link_token(request),
            confirmed=100_000 * YUAN,
            disputed=0,
        )
    assert "answerer_name" in refused.value.message_dict


# --- scope ----------------------------------------------------------------------------


def test_each_side_sees_its_own_requests(user, debtor):
    request = send(debtor=debtor)
    seen = {
        name: request in selectors.confirmation_requests(actor=user(name))
        for name in (
            "sme-demo",
            "debtor-demo",
            "gd-intake",
            "supervisor",
            "sme-demo-2",
            "js-intake",
        )
    }
    assert seen == {
        "sme-demo": True,
        "debtor-demo": True,
        "gd-intake": True,  # Guangdong covers the debtor's region
        "supervisor": True,  # national
        "sme-demo-2": False,
        "js-intake": False,
    }

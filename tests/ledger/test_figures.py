"""One definition of each ledger figure, and the legal route that covers the disputed part.

Every channel (the ledger totals API, the stats API, the dashboard, the snapshots)
must show the same figures, and an item in proceedings counts its undisputed part
once (undisputed outstanding) and its disputed part as in the legal route.
"""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qingqian.core.money import parse_yuan
from qingqian.ledger import services
from qingqian.ledger.models import Status
from qingqian.supervision.dashboard import selectors as dashboard
from qingqian.supervision.dashboard.snapshots import ledger_snapshot_take
from qingqian.supervision.models import LedgerSnapshot
from tests.ledger.recount import assert_ledger_consistent

TODAY = timezone.localdate
FIGURES = ("identified", "outstanding", "undisputed_outstanding", "legal_route")


def in_dispute(make_item, user, *, owed_fen=1000_00, disputed_fen=400_00):
    """An item whose debtor disputes part of it, taken to court."""
    item = make_item(owed_fen=owed_fen)
    services.ledger_confirm(
        actor=user("debtor-demo"), item=item, disputed_fen=disputed_fen, note="工程量有异议"
    )
    proceeding = services.legal_route_open(
        actor=user("gd-intake"), item=item, kind="litigation", body="法院", filed_on=TODAY()
    )
    return item, proceeding


def decide(user, proceeding, outcome):
    services.legal_route_decide(
        actor=user("gd-intake"), proceeding=proceeding, outcome=outcome, decided_on=TODAY()
    )


def figures_everywhere(client, user) -> dict:
    """The same figures as the ledger totals API and the stats API show them, in fen."""
    totals = client.get("/api/v1/ledger/totals/").json()["totals"]
    stats = client.get("/api/v1/stats/").json()["ledger"]
    page = dashboard.dashboard(actor=user("gd-intake"))["ledger"]
    return {
        "totals API": {"items": totals["items"]}
        | {name: parse_yuan(totals[name]) for name in FIGURES},
        "stats API": {"items": stats["items"]} | {name: stats[f"{name}_fen"] for name in FIGURES},
        "dashboard": {"items": page["items"]} | {name: page[f"{name}_fen"] for name in FIGURES},
    }


@pytest.mark.django_db
def test_every_channel_counts_a_partial_write_off_alike(api_client_for, make_item, user):
    client = api_client_for("gd-intake")
    before = figures_everywhere(client, user)["totals API"]
    item, proceeding = in_dispute(make_item, user)
    in_court = figures_everywhere(client, user)
    decide(user, proceeding, "for_debtor")
    after = figures_everywhere(client, user)

    def change(figures):
        return {name: figures[name] - before[name] for name in before}

    for channel in in_court.values():  # the disputed 400 in court, the 600 due once
        assert change(channel) == {
            "items": 1,
            "identified": 1000_00,
            "outstanding": 1000_00,
            "undisputed_outstanding": 600_00,
            "legal_route": 400_00,
        }
    for channel in after.values():  # the 400 written off: 600 still identified and due
        assert change(channel) == {
            "items": 1,
            "identified": 600_00,
            "outstanding": 600_00,
            "undisputed_outstanding": 600_00,
            "legal_route": 0,
        }
    assert_ledger_consistent()


def test_a_decision_for_the_debtor_writes_off_only_the_disputed_part(make_item, user):
    item, proceeding = in_dispute(make_item, user)
    decide(user, proceeding, "for_debtor")
    item.refresh_from_db()
    assert (item.written_off_fen, item.disputed_fen) == (400_00, 0)
    assert item.outstanding_fen == item.undisputed_outstanding_fen == 600_00
    assert item.status == Status.OUTSTANDING  # what the debtor confirmed is still due
    services.payment_record(
        actor=user("debtor-demo"), item=item, paid_on=TODAY(), amount_fen=600_00, method="transfer"
    )
    item.refresh_from_db()
    assert (item.status, item.outstanding_fen) == (Status.WRITTEN_OFF, 0)
    assert_ledger_consistent()


def test_a_decision_for_the_creditor_makes_the_disputed_part_due(make_item, user):
    item, proceeding = in_dispute(make_item, user)
    decide(user, proceeding, "for_creditor")
    item.refresh_from_db()
    assert (item.written_off_fen, item.disputed_fen, item.status) == (0, 0, Status.OUTSTANDING)
    assert item.undisputed_outstanding_fen == 1000_00
    assert_ledger_consistent()


def test_an_item_wholly_in_dispute_decided_for_the_debtor_is_written_off(make_item, user):
    item, proceeding = in_dispute(make_item, user, disputed_fen=1000_00)
    decide(user, proceeding, "for_debtor")
    item.refresh_from_db()
    assert (item.status, item.written_off_fen, item.outstanding_fen) == (
        Status.WRITTEN_OFF,
        1000_00,
        0,
    )
    assert_ledger_consistent()


def test_snapshots_count_the_legal_route_as_the_disputed_part(make_item, user):
    def province_row():
        ledger_snapshot_take(TODAY())
        rows = LedgerSnapshot.objects.filter(month=TODAY().replace(day=1), region_code="440000")
        return rows.values_list("undisputed_outstanding_fen", "legal_route_fen").first() or (0, 0)

    undisputed, legal = province_row()
    in_dispute(make_item, user)
    assert province_row() == (undisputed + 600_00, legal + 400_00)


def test_a_plan_covers_the_undisputed_amount_outstanding(make_item, user):
    item = make_item(owed_fen=1000_00)
    services.ledger_confirm(actor=user("debtor-demo"), item=item, disputed_fen=400_00, note="异议")
    later = TODAY() + timedelta(days=30)
    with pytest.raises(ValidationError) as refused:
        services.plan_create(actor=user("debtor-demo"), item=item, instalments=[(later, 1000_00)])
    message = refused.value.message_dict["instalments"][0]
    assert "600.00" in message and "400.00" in message
    plan = services.plan_create(actor=user("debtor-demo"), item=item, instalments=[(later, 600_00)])
    assert [i.amount_fen for i in plan.instalments.all()] == [600_00]


def test_the_item_page_shows_what_was_written_off(make_item, user, client_for):
    from django.urls import reverse

    item, proceeding = in_dispute(make_item, user)
    decide(user, proceeding, "for_debtor")
    page = client_for("gd-intake").get(reverse("ledger:item", args=[item.pk])).content.decode()
    assert re.search(r'data-testid="written-off">[^<]*400\.00<', page)
    assert re.search(r'data-testid="undisputed">[^<]*600\.00<', page)


def test_the_export_counts_what_was_written_off_as_no_longer_outstanding(make_item, user):
    from qingqian.ledger import exports
    from qingqian.ledger.models import LedgerItem, Status

    item, proceeding = in_dispute(make_item, user)
    decide(user, proceeding, "for_debtor")
    labels = dict(Status.choices)
    [row] = exports.export_rows(LedgerItem.objects.filter(pk=item.pk), labels)
    assert row[-1] == 600_00  # 1,000 owed, 400 written off, nothing paid

"""Concurrent actions on one complaint cannot both win; tracking numbers stay
gap-free under concurrent submissions. Real threads, real commits: SQLite
(IMMEDIATE transactions) and PostgreSQL (row locks).

On SQLite the test database is a shared-cache in-memory one, where a second
writer is refused at once ("database table is locked") instead of waiting as
on a real file. These tests therefore run on a file copy of it, with the
production settings (WAL, BEGIN IMMEDIATE, busy timeout).
"""

import sqlite3
import threading
from datetime import date

import pytest
from django.db import connection, connections

from qingqian.accounts.models import Organisation, User
from qingqian.complaints import services
from qingqian.complaints.errors import ComplaintConflict
from qingqian.complaints.models import Complaint, ComplaintEvent, State, TrackingCounter
from qingqian.parties.models import Enterprise

DEBTOR = "广东粤海城建集团有限公司"


def make_draft(number: int) -> Complaint:
    sme = User.objects.get(username="sme-demo")
    return services.complaint_create_draft(
        actor=sme,
        complainant=sme.enterprise,
        debtor=Enterprise.objects.get(name=DEBTOR),
        contract_number=f"RACE-{number:03d}",
        contract_signed_on=date(2025, 3, 1),
        subject="goods",
        delivered_on=date(2025, 6, 30),
        amount_owed_fen=100_000_00,
        request_text="请求支付货款。",
        facts_text="交货后未付款。",
        undertaking=True,
    )


def race(*calls):
    """Run the calls at the same moment, each in its own thread and connection;
    return what each did: "won" or the name of the refusal."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            call()
            outcomes[index] = "won"
        except ComplaintConflict as error:
            outcomes[index] = type(error).__name__
        except Exception as error:  # noqa: BLE001 - reported in the assertion below
            outcomes[index] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def act(action, username, pk, version=None, **kwargs):
    actor = User.objects.select_related("organisation").get(username=username)

    def call():
        complaint = Complaint.objects.get(pk=pk)
        services.ACTIONS[action](actor=actor, complaint=complaint, version=version, **kwargs)

    return call


@pytest.fixture
def live_db(seeded_live_db, tmp_path):
    """The seeded database, as a file when the test database is SQLite in memory."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    connection.ensure_connection()
    settings_dict, memory = connection.settings_dict, connection.connection
    path = tmp_path / "race.sqlite3"
    copy = sqlite3.connect(path)
    memory.backup(copy)
    copy.close()
    memory_name = settings_dict["NAME"]
    connection.connection = None  # detached, not closed: closing would drop the database
    settings_dict["NAME"] = str(path)  # shared by every thread's connection
    try:
        yield
    finally:
        connection.close()
        settings_dict["NAME"] = memory_name
        connection.connection = memory


@pytest.fixture
def submitted(live_db):
    sme = User.objects.get(username="sme-demo")
    return services.complaint_submit(actor=sme, complaint=make_draft(1))


@pytest.mark.django_db(transaction=True)
def test_accept_against_not_accept_only_one_wins(submitted):
    outcomes = race(
        act("accept", "gd-intake", submitted.pk),
        act("not-accept", "miit-intake", submitted.pk, ground="taken_up", note="已起诉。"),
    )
    assert sorted(outcomes) == ["ComplaintConflict", "won"], outcomes
    complaint = Complaint.objects.get(pk=submitted.pk)
    decisions = complaint.events.filter(action__in=["accept", "not-accept"])
    assert decisions.count() == 1
    winner = decisions.get()
    assert (
        complaint.state
        == {"accept": State.ACCEPTED, "not-accept": State.NOT_ACCEPTED}[winner.action]
    )
    assert complaint.version == submitted.version + 1


@pytest.mark.django_db(transaction=True)
def test_two_transfers_with_the_same_version_only_one_wins(submitted):
    intake = User.objects.get(username="gd-intake")
    accepted = services.complaint_accept(actor=intake, complaint=submitted)
    finance = Organisation.objects.get(name="广东省财政厅")
    assets = Organisation.objects.get(name="广东省人民政府国有资产监督管理委员会")
    outcomes = race(
        act("transfer", "gd-intake", accepted.pk, version=accepted.version, department=finance),
        act("transfer", "miit-intake", accepted.pk, version=accepted.version, department=assets),
    )
    assert sorted(outcomes) == ["StaleVersion", "won"], outcomes
    complaint = Complaint.objects.get(pk=accepted.pk)
    assert complaint.state == State.TRANSFERRED
    transfers = complaint.events.filter(action="transfer")
    assert transfers.count() == 1
    assert transfers.get().details["department"] == complaint.handling_department_id
    assert complaint.deadlines.filter(stage="handling").count() == 1


@pytest.mark.django_db(transaction=True)
def test_many_conflicting_withdrawals_and_terminations(submitted):
    calls = [act("withdraw", "sme-demo", submitted.pk, reason="和解") for _ in range(3)]
    calls += [act("terminate", "gd-intake", submitted.pk, reason="已起诉") for _ in range(3)]
    outcomes = race(*calls)
    assert outcomes.count("won") == 1, outcomes
    assert outcomes.count("ComplaintConflict") == 5, outcomes
    events = ComplaintEvent.objects.filter(complaint_id=submitted.pk, to_state=State.TERMINATED)
    assert events.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_gap_free_tracking_numbers(live_db):
    drafts = [make_draft(n) for n in range(1, 9)]
    year = date.today().year
    counter = TrackingCounter.objects.filter(province_code="440000", year=year).first()
    last = counter.last if counter else 0
    outcomes = race(*[act("submit", "sme-demo", draft.pk) for draft in drafts])
    assert outcomes == ["won"] * 8, outcomes
    numbers = sorted(
        Complaint.objects.filter(pk__in=[d.pk for d in drafts]).values_list(
            "tracking_number", flat=True
        )
    )
    assert numbers == [f"QQ-{year}-440000-{n:06d}" for n in range(last + 1, last + 9)]
    assert TrackingCounter.objects.get(province_code="440000", year=year).last == last + 8

"""A long write (an import's apply) on SQLite: other writers get 503 with
Retry-After within QINGQIAN_SQLITE_BUSY_SECONDS and write nothing; readers go
on; the import's check does not hold the writer. PostgreSQL writes beside it.

The SQLite tests run on a file copy of the seeded test database (the test
database itself lives in memory, where SQLite locks tables, not the file, and
WAL does not apply)."""

import io
import shutil
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from rest_framework.test import APIClient

from qingqian.accounts.models import Organisation, User
from qingqian.accounts.services import api_token_issue
from qingqian.core.models import AuditEvent
from qingqian.demo import demo_uscc
from qingqian.ledger import imports
from qingqian.ledger.imports.run import CHECK_SHARE
from qingqian.ledger.models import LedgerImport, LedgerItem
from qingqian.parties.models import Enterprise
from tests.ledger.test_importing import csv_bytes, row

only_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's single writer")
BUSY_SECONDS = 1
PATIENCE = 8  # far more than BUSY_SECONDS: what "answers within about the configured time" allows


@contextmanager
def database_file(path: Path, source: Path | None = None):
    """Every thread's connections go to the SQLite file ``path`` meanwhile: a
    copy of ``source``, or of the in-memory test database."""
    database = connection.settings_dict
    saved = database["NAME"], database["OPTIONS"]
    in_memory = sqlite3.connect(database["NAME"], uri=True)  # keeps it alive meanwhile
    if source is None:
        with sqlite3.connect(path) as copy:
            in_memory.backup(copy)
        copy.close()
    else:
        shutil.copyfile(source, path)
    database["NAME"] = str(path)
    database["OPTIONS"] = {**database["OPTIONS"], "timeout": BUSY_SECONDS}
    connection.close()
    try:
        yield path
    finally:
        connection.close()
        database["NAME"], database["OPTIONS"] = saved
        connection.ensure_connection()  # holds the in-memory database from now on
        in_memory.close()


@pytest.fixture(scope="module")
def seeded_file(django_db_setup, django_db_blocker, tmp_path_factory):
    """The test database as a file, seeded again if a transactional test emptied it."""
    path = tmp_path_factory.mktemp("busy") / "seeded.sqlite3"
    with django_db_blocker.unblock(), database_file(path):
        seed_if_flushed()
    return path


@pytest.fixture
def sqlite_file(seeded_file, django_db_blocker, tmp_path, settings):
    """A fresh copy of the seeded file for this test, used by every thread, with
    a 1-second wait for the writer. Nothing written there reaches the test database."""
    settings.QINGQIAN_SQLITE_BUSY_SECONDS = BUSY_SECONDS
    settings.MEDIA_ROOT = tmp_path / "media"
    with django_db_blocker.unblock(), database_file(tmp_path / "busy.sqlite3", seeded_file) as path:
        yield path


def seed_if_flushed() -> None:
    """A transactional test run before empties the test database's tables."""
    if not User.objects.filter(username="gd-intake").exists():
        from qingqian.demo import seed_demo
        from qingqian.reference.services.seed import seed_reference_data

        seed_reference_data(actor=None)
        seed_demo()


@contextmanager
def writer_held_by_this_process():
    """Another thread in a long transaction that writes, as an import's apply."""
    holding, finished = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                Enterprise.objects.filter(uscc=demo_uscc("440104", 4)).update(name=F("name"))
                holding.set()
                finished.wait(30)
                transaction.set_rollback(True)
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(10)
    try:
        yield
    finally:
        finished.set()
        thread.join()


@contextmanager
def writer_held_by_another_process(path):
    """SQLite's write lock taken by another connection (a worker or the CLI)."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.fixture(params=["this process", "another process"])
def writer_held(request, sqlite_file):
    if request.param == "this process":
        return writer_held_by_this_process
    return lambda: writer_held_by_another_process(sqlite_file)


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def sign_in_traces() -> tuple:
    return (
        User.objects.get(username="gd-intake").last_login,
        Session.objects.count(),
        AuditEvent.objects.count(),
        AccessLog.objects.count(),
        AccessAttempt.objects.count(),
    )


@only_sqlite
def test_sign_in_beside_a_held_writer_is_503_with_retry_after_and_writes_nothing(writer_held):
    before = sign_in_traces()
    client = Client()
    with writer_held():
        response, seconds = timed(
            lambda: client.post(
                "/accounts/login/", {"username": "gd-intake", "password": "demo-password"}
            )
        )
    assert response.status_code == 503
    assert response["Retry-After"] == str(BUSY_SECONDS)
    assert "平台繁忙" in response.content.decode()
    assert seconds < PATIENCE
    assert sign_in_traces() == before
    # Once the writer is free, the same sign-in goes through.
    again = client.post("/accounts/login/", {"username": "gd-intake", "password": "demo-password"})
    assert again.status_code == 302


@only_sqlite
def test_an_api_write_beside_a_held_writer_is_a_json_503_in_the_readers_language(writer_held):
    from tests.api.test_ledger_api import create_body

    _token, key = api_token_issue(user=User.objects.get(username="gd-intake"))
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")
    body = create_body()
    before = (LedgerItem.objects.count(), AuditEvent.objects.count())
    with writer_held():
        response, seconds = timed(lambda: client.post("/api/v1/ledger/items/", body, format="json"))
    assert response.status_code == 503
    assert response["Retry-After"] == str(BUSY_SECONDS)
    assert response.json()["code"] == "busy"
    assert "try again in a few seconds" in response.json()["message"]
    assert seconds < PATIENCE
    assert (LedgerItem.objects.count(), AuditEvent.objects.count()) == before
    assert client.post("/api/v1/ledger/items/", body, format="json").status_code == 201


@only_sqlite
def test_pages_are_read_while_the_writer_is_held(writer_held):
    client = Client()
    client.force_login(User.objects.get(username="gd-intake"))
    with writer_held():
        response, seconds = timed(lambda: client.get("/ledger/"))
    assert response.status_code == 200
    assert seconds < BUSY_SECONDS  # a read never waits for the writer


def writer_is_free(path) -> bool:
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


def import_watching_the_writer(path, rows) -> tuple[LedgerImport, list]:
    """Run an import, noting at each progress report whether the writer was free."""
    record = imports.ledger_import_upload(
        actor=User.objects.get(username="gd-intake"),
        owner=Organisation.objects.get(name="广东省中小企业主管部门"),
        fileobj=io.BytesIO(csv_bytes(rows)),
        original_name="return.csv",
    )
    seen = []
    record = imports.ledger_import_run(
        record, on_progress=lambda fraction, _rows: seen.append((fraction, writer_is_free(path)))
    )
    return record, seen


@only_sqlite
def test_an_import_checks_its_file_without_holding_the_writer(sqlite_file):
    rows = [row(n) for n in range(4)]
    rows[2] = row(2, amount_owed="abc")
    record, seen = import_watching_the_writer(sqlite_file, rows)
    assert record.state == LedgerImport.State.REFUSED
    assert [(e.row, e.column) for e in record.errors.all()] == [(4, "amount_owed")]
    assert seen and all(free for _fraction, free in seen)


@only_sqlite
def test_only_an_imports_apply_holds_the_writer(sqlite_file):
    record, seen = import_watching_the_writer(sqlite_file, [row(n) for n in range(3)])
    assert (record.state, record.created_count) == (LedgerImport.State.DONE, 3)
    assert seen == [(CHECK_SHARE, True), (1.0, False)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's row locks")
@pytest.mark.django_db
def test_postgresql_signs_in_beside_a_long_write_on_another_table():
    client = Client()
    with writer_held_by_this_process():
        response, seconds = timed(
            lambda: client.post(
                "/accounts/login/", {"username": "gd-intake", "password": "demo-password"}
            )
        )
    assert response.status_code == 302
    assert seconds < PATIENCE

"""Nothing in the UI or API writes a domain row without an audit event that
names it, written in the same request.

Two checks, each around every request: the rows the ORM saves or deletes must
be the targets of the request's events (by model and key); and every table of
the database whose rows changed in any way (raw SQL, bulk inserts and
`QuerySet.update()` included) must be accounted for by an event of the same
request. The database itself counts the rows each table had inserted, updated
or deleted: PostgreSQL in `pg_stat_xact_user_tables`, SQLite through temporary
triggers this test adds to its own connection."""

from contextlib import contextmanager

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import AutoField, BigAutoField
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from qingqian.cli import main as cli
from qingqian.core.bulk import insert_rows
from qingqian.core.models import AuditEvent, AuditHead
from qingqian.demo import demo_uscc
from qingqian.ledger.models import LedgerItem
from qingqian.parties.models import Enterprise
from qingqian.parties.services import BULK_FIELDS
from tests.api.test_ledger_api import IMPORTS, csv_file, import_row
from tests.web.test_url_permissions import ALL_URLS

UNAUDITED = {AuditEvent, AuditHead}
# Rows that are not audited on their own, and why.
SIDE_ROWS = {
    "complaints.trackingcounter": "the number it hands out is in the submit event's payload",
    "notifications.notification": "delivery of an audited event, written by the worker",
}


@contextmanager
def domain_writes():
    """Collect (model label, pk) of every row of ours saved or deleted."""
    written: set[tuple[str, str]] = set()

    def remember(sender, instance, **kwargs):
        label = sender._meta.label_lower
        if not sender.__module__.startswith("qingqian.") or sender in UNAUDITED:
            return
        if label in SIDE_ROWS:
            return
        # History, deadlines and evidence belong to their complaint's audit event.
        if hasattr(instance, "complaint_id"):
            written.add(("complaints.complaint", str(instance.complaint_id)))
        elif label == "supervision.reportvalue":  # a report's figures: the report's event
            written.add(("supervision.provincialreport", str(instance.report_id)))
        else:
            written.add((label, str(instance.pk)))

    post_save.connect(remember, weak=False, dispatch_uid="audit-test-save")
    post_delete.connect(remember, weak=False, dispatch_uid="audit-test-delete")
    try:
        yield written
    finally:
        post_save.disconnect(dispatch_uid="audit-test-save")
        post_delete.disconnect(dispatch_uid="audit-test-delete")


# Tables that change without an audit event of their own, and why.
UNACCOUNTED_TABLES = {
    "core.auditevent": "the audit log itself",
    "core.audithead": "the audit chain's head, moved by every event",
    "sessions.session": "the browser's session, saved on many requests; logins are audited",
    "axes.accessattempt": "django-axes counts login attempts, audited or refused",
    "axes.accessattemptexpiration": "django-axes' lockout expiry of those attempts",
    "axes.accesslog": "django-axes' log of logins, beside the audited login",
    "axes.accessfailurelog": "django-axes' log of failed logins",
    "django_tasks_database.dbtaskresult": "the queue: a task is queued in its act's transaction",
    "ledger.ledgertotal": "tallies kept in the transaction of the audited act they count",
    "supervision.complainttally": "tallies kept in the transaction of the audited act",
    "supervision.departmenttally": "tallies kept in the transaction of the audited act",
    "supervision.handlingtimetally": "tallies kept in the transaction of the audited act",
    "core.figuresversion": "the public figures' version, moved with the tallies and totals",
    **SIDE_ROWS,
}
# The two-factor devices are the accounts' (their events target the user).
OWNING_APP = {"otp_totp": "accounts", "otp_static": "accounts"}


def watched_tables() -> dict[str, tuple[str, str]]:
    """Model label → (table, highest-id expression) for every table in the database."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy or meta.label_lower in UNACCOUNTED_TABLES:
            continue
        pk = connection.ops.quote_name(meta.pk.column)
        # The highest of numbered keys by number; of others (PostgreSQL has no MAX
        # of a UUID) as text. Text either way, so that the tables share one UNION.
        integer_pk = isinstance(meta.pk, AutoField | BigAutoField)
        tables[meta.label_lower] = (
            connection.ops.quote_name(meta.db_table),
            f"CAST(MAX({pk}) AS TEXT)" if integer_pk else f"MAX(CAST({pk} AS TEXT))",
        )
    return tables


def table_figures() -> dict[str, tuple]:
    """Model label → (row count, highest id, rows written so far), in two queries."""
    tables = watched_tables()
    selects = [
        f"SELECT CAST(%s AS TEXT), COUNT(*), {highest} FROM {table}"  # nosec B608 # names from _meta
        for table, highest in tables.values()
    ]
    writes = rows_written({label: table for label, (table, _highest) in tables.items()})
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), list(tables))
        return {
            label: (count, highest, writes.get(label, 0))
            for label, count, highest in cursor.fetchall()
        }


def rows_written(tables: dict[str, str]) -> dict[str, int]:
    """Model label → rows inserted, updated or deleted so far in this transaction."""
    if connection.vendor == "postgresql":
        by_table = {table.strip('"'): label for label, table in tables.items()}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
            )
            return {by_table[name]: n for name, n in cursor.fetchall() if name in by_table}
    count_writes_on_sqlite(tables)
    with connection.cursor() as cursor:
        cursor.execute("SELECT label, COUNT(*) FROM temp.qq_rows_written GROUP BY label")
        return dict(cursor.fetchall())


def count_writes_on_sqlite(tables: dict[str, str]) -> None:
    """Temporary triggers (this connection only) that log each row written to a table."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE IF NOT EXISTS qq_rows_written (label TEXT)")
        for label, table in tables.items():
            for event in ("INSERT", "UPDATE", "DELETE"):
                name = f"qq_{event.lower()}_{label.replace('.', '_')}"
                cursor.execute(  # nosec B608 # names from _meta
                    f"CREATE TEMP TRIGGER IF NOT EXISTS {name} AFTER {event} ON main.{table} "
                    f"BEGIN INSERT INTO qq_rows_written VALUES ('{label}'); END"
                )


def accounted_apps(events) -> set[str]:
    """The apps whose tables a request's events account for: the apps of their
    targets (a complaint's event covers its history, deadlines and evidence),
    and of the models whose rows a bulk event names as created or updated."""
    named = set()
    for event in events:
        named.add(event.target_type)
        for kind in ("created", "updated"):
            if isinstance(event.payload.get(kind), dict):
                named.update(event.payload[kind])
    return {app_of(label) for label in named if label}


def app_of(label: str) -> str:
    app = label.split(".")[0]
    return OWNING_APP.get(app, app)


def assert_audited(request):
    first_new = AuditHead.objects.get(pk=1).seq + 1
    before = table_figures()
    with domain_writes() as written:
        response = request()
    changed = {label for label, figures in table_figures().items() if before[label] != figures}
    events = list(AuditEvent.objects.filter(seq__gte=first_new))
    targets = {(e.target_type, e.target_id) for e in events}
    unaudited = written - targets
    assert not unaudited, f"written without an audit event: {unaudited}"
    apps_named = accounted_apps(events)
    unaccounted = {label for label in changed if app_of(label) not in apps_named}
    assert not unaccounted, (
        f"tables changed without an audit event: {sorted(unaccounted)}; events: {targets}"
    )
    return response, written


@pytest.mark.django_db
def test_each_write_endpoint_audits_what_it_writes(client, user):
    html = client
    _r, written = assert_audited(
        lambda: html.post(
            "/accounts/login/", {"username": "gd-intake", "password": "demo-password"}
        )
    )
    assert written  # last_login changed
    _r, written = assert_audited(
        lambda: html.post(
            "/enterprises/new/",
            {
                "uscc": demo_uscc("440300", 501),
                "name": "深圳测试有限公司",
                "type": "sme",
                "region_code": "440300",
            },
        )
    )
    assert any(label == "parties.enterprise" for label, _pk in written)
    pk = next(pk for label, pk in written if label == "parties.enterprise")
    _r, written = assert_audited(
        lambda: html.post(
            f"/enterprises/{pk}/edit/",
            {"name": "深圳测试有限公司", "type": "sme", "region_code": "440300", "staff": "12"},
        )
    )
    assert written
    assert_audited(lambda: html.post("/accounts/two-factor/", {"start": "1"}))
    device = TOTPDevice.objects.get(user=user("gd-intake"), confirmed=False)
    assert_audited(
        lambda: html.post("/accounts/two-factor/", {"token": f"{totp(device.bin_key):06d}"})
    )
    assert_audited(lambda: html.post("/accounts/two-factor/recovery-codes/"))
    assert_audited(lambda: html.post("/accounts/logout/"))

    api = APIClient()
    response, written = assert_audited(
        lambda: api.post(
            "/api/v1/auth/token/",
            {
                "username": "gd-intake",
                "password": "demo-password",
                "otp": f"{totp(device.bin_key, drift=1):06d}",  # the current one was spent
            },
            format="json",
        )
    )
    assert written
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    response, written = assert_audited(
        lambda: api.post(
            "/api/v1/enterprises/",
            {
                "uscc": demo_uscc("440300", 502),
                "name": "测试二",
                "type": "sme",
                "region_code": "440300",
            },
            format="json",
        )
    )
    assert response.status_code == 201 and written
    pk = response.json()["id"]
    _r, written = assert_audited(
        lambda: api.patch(f"/api/v1/enterprises/{pk}/", {"staff": 3}, format="json")
    )
    assert written
    _r, written = assert_audited(lambda: api.post("/api/v1/auth/token/revoke/"))
    assert written


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["admin", "gd-intake", "sme-demo", "debtor-demo"])
def test_no_url_writes_unaudited_on_any_post(client_for, username):
    client = client_for(username)
    for url, name in ALL_URLS:
        if name in {"logout", "admin:logout"}:
            continue
        assert_audited(lambda url=url: client.post(url, {}))


@contextmanager
def an_unaudited_raw_insert():
    """Slips one enterprise into the database with the request's first query."""
    inserted = []

    def insert_after(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not inserted:
            inserted.append(demo_uscc("440300", 777))
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            row = (inserted[0], "暗中有限公司", "sme", "440300", False, "", "", "", "", now, now)
            insert_rows(Enterprise, BULK_FIELDS, [row])
        return result

    with connection.execute_wrapper(insert_after):
        yield inserted


@pytest.mark.django_db
def test_the_check_catches_a_raw_insert_without_an_audit_event(client_for):
    client = client_for("gd-intake")
    assert_audited(lambda: client.get("/enterprises/"))
    inserted = []

    def cheating_request():
        with an_unaudited_raw_insert() as sneaked:
            response = client.get("/enterprises/")
        inserted.extend(sneaked)
        return response

    with pytest.raises(AssertionError, match=r"without an audit event: \['parties.enterprise'\]"):
        assert_audited(cheating_request)
    assert Enterprise.objects.filter(uscc=inserted[0]).exists()  # it did slip in


@contextmanager
def an_unaudited_update(enterprise):
    """Renames an enterprise with `QuerySet.update()` after the request's first query:
    no row count or id changes, and no `save()` signal is sent."""
    renamed = []

    def update_after(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not renamed:
            renamed.append(enterprise.pk)
            Enterprise.objects.filter(pk=enterprise.pk).update(name="悄悄改名有限公司")
        return result

    with connection.execute_wrapper(update_after):
        yield


@pytest.mark.django_db
def test_the_check_catches_an_update_without_an_audit_event(client_for):
    client = client_for("gd-intake")
    enterprise = Enterprise.objects.first()

    def cheating_request():
        with an_unaudited_update(enterprise):
            return client.get("/enterprises/")

    with pytest.raises(AssertionError, match=r"without an audit event: \['parties.enterprise'\]"):
        assert_audited(cheating_request)
    enterprise.refresh_from_db()
    assert enterprise.name == "悄悄改名有限公司"  # it did slip in


@pytest.fixture
def immediate_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.mark.django_db
def test_a_ledger_import_through_the_api_accounts_for_every_table_it_writes(
    api_client_for, immediate_tasks, django_capture_on_commit_callbacks
):
    api = api_client_for("gd-intake")
    new_creditor = {"creditor_uscc": demo_uscc("440106", 601), "creditor_name": "新供应商有限公司"}
    rows = [import_row(), import_row(**new_creditor)]

    def upload_and_run():
        with django_capture_on_commit_callbacks(execute=True):  # runs the (immediate) task
            return api.post(IMPORTS, {"file": csv_file(rows)}, format="multipart")

    response, _written = assert_audited(upload_and_run)
    assert response.status_code == 202
    assert api.get(f"{IMPORTS}{response.json()['id']}/").json()["created_count"] == 2
    assert LedgerItem.objects.filter(creditor__uscc=new_creditor["creditor_uscc"]).exists()


@pytest.mark.django_db
def test_the_supervision_jobs_account_for_what_they_write(make_item):
    make_item()
    assert_audited(lambda: cli(["stats", "snapshot"]))
    assert_audited(lambda: cli(["stats", "rebuild"]))

"""Property-based run of the OpenAPI schema against the app itself (schemathesis):
no 5xx, and every answer is documented (status code, content type, body schema).

One pytest item per operation, generation mode and user, each in its own
rolled-back transaction over the seeded demo data plus a few complaints in
different states (so that path ids hit real records as well as missing ones).
"""

import io
from datetime import date

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from qingqian.accounts.models import User
from qingqian.accounts.services import api_token_issue
from qingqian.complaints.evidence import evidence_add
from qingqian.complaints.models import State
from qingqian.ledger import services as ledger_services
from qingqian.ledger.imports import ledger_import_run, ledger_import_upload
from qingqian.supervision.cases.services import case_open, notice_draft
from qingqian.supervision.models import ProvincialReport, ReportDefinition
from qingqian.supervision.reports.services import reports_generate
from tests.api.test_complaints_api import PDF, make_complaint

CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# The older resources (auth, me, enterprises, organisations) do not document their
# error answers yet nor their paginated lists; for them only "no 5xx" is enforced.
CONFORMING_PREFIX = "/api/v1/"
STATES = [State.DRAFT, State.SUBMITTED, State.TRANSFERRED, State.IN_HANDLING, State.RESOLVED]
OPERATIONS = [
    (method.upper(), path)
    for path, item in SchemaGenerator().get_schema(request=None, public=True)["paths"].items()
    for method in item
]


@pytest.fixture(scope="session")
def api_schema(django_db_setup, django_db_blocker):
    """Loaded from the running app. Django's own WSGI handler: qingqian.wsgi adds
    the production guard, which reads the database at import time."""
    with django_db_blocker.unblock():
        return schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture
def same_connection():
    """Like Django's test client: keep the request from closing the connection that
    holds the test's transaction (it would on PostgreSQL, where CONN_MAX_AGE > 0)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def records(db, same_connection, settings, tmp_path, make_item):
    """Ids that exist, per kind of path: complaints in several states (one with an
    evidence file), and a ledger item with a payment, a proceeding and an import."""
    settings.MEDIA_ROOT = tmp_path
    complaints = {state: make_complaint(state) for state in STATES}
    submitted = complaints[State.SUBMITTED]
    evidence = evidence_add(
        actor=User.objects.get(username="sme-demo"), complaint=submitted, name="a.pdf", data=PDF
    )
    keeper = User.objects.get(username="gd-intake")
    item = make_item(owed_fen=500_00, paid_fen=100_00)
    proceeding = ledger_services.legal_route_open(
        actor=keeper, item=make_item(), kind="mediation", body="调解委员会", filed_on=item.due_on
    )
    upload = ledger_import_upload(
        actor=keeper, owner=item.owner, fileobj=io.BytesIO(b"x,y\n1,2\n"), original_name="a.csv"
    )
    case = case_open(
        actor=User.objects.get(username="supervisor"),
        kind="listed",
        subject="region",
        region_code="440000",
        title="挂牌督办",
        reason="逾期较多",
        due_working_days=10,
        listed_items="逾期投诉",
        lift_conditions="清零",
    )
    notice = notice_draft(actor=case.opened_by, case=case, title="通报", text="通报内容")
    reports_generate(
        definition=ReportDefinition.objects.get(code="monthly-progress"),
        period_start=date(2026, 9, 1),
    )
    return {
        "/api/v1/supervision/cases/": [case.pk],
        "/api/v1/supervision/notices/": [notice.pk],
        "/api/v1/supervision/reports/": list(
            ProvincialReport.objects.filter(province_code__in=["440000", "320000"]).values_list(
                "pk", flat=True
            )
        ),
        "/api/v1/complaints/": [c.pk for c in complaints.values()],
        "eid": evidence.pk,
        "/api/v1/ledger/items/": [item.pk, proceeding.item_id],
        "/api/v1/ledger/payments/": [item.payments.get().pk],
        "/api/v1/ledger/proceedings/": [proceeding.pk],
        "/api/v1/ledger/imports/": [ledger_import_run(upload).pk],
    }


def cases(operation, path, mode, records):
    """Free ids (mostly 404) and ids of the records above."""
    free = operation.as_strategy(generation_mode=mode)
    if "{id}" not in path:
        return free
    complaints = records["/api/v1/complaints/"]  # any id: other resources then mostly 404
    ids = next((pks for prefix, pks in records.items() if path.startswith(prefix)), complaints)
    fixed = st.sampled_from(ids).flatmap(
        lambda pk: operation.as_strategy(
            generation_mode=mode,
            path_parameters={"id": pk, "eid": records["eid"]} if "{eid}" in path else {"id": pk},
        )
    )
    return st.one_of(free, fixed, fixed)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["gd-intake", "sme-demo"])
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_api_conforms_to_its_schema(api_schema, records, method, path, mode, username):
    conforms(api_schema, records, method, path, mode, username)


def conforms(api_schema, records, method, path, mode, username):
    operation = api_schema[path][method]
    _token, key = api_token_issue(user=User.objects.get(username=username))
    headers = {"Authorization": f"Bearer {key}"}
    checks = CONFORMANCE if path.startswith(CONFORMING_PREFIX) else [not_a_server_error]

    @given(case=cases(operation, path, mode, records))
    @settings(
        max_examples=8,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(headers=headers, checks=checks)

    run()


SUPERVISION = [
    (m, p) for m, p in OPERATIONS if p.startswith(("/api/v1/supervision/", "/api/v1/stats/"))
]


@pytest.mark.django_db
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize(("method", "path"), SUPERVISION, ids=[f"{m} {p}" for m, p in SUPERVISION])
def test_supervision_api_conforms_as_a_supervisor(api_schema, records, method, path, mode):
    """The national supervisor may open and lift cases and decide notices: fuzz that too."""
    conforms(api_schema, records, method, path, mode, "supervisor")

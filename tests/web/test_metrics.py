"""/metrics: off by default, only for the allowed addresses, requests by route
and status, and the figures read from the database at each scrape."""

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from qingqian.accounts.models import Organisation
from qingqian.complaints.models import Deadline
from qingqian.ledger.imports.progress import progress_path
from qingqian.ledger.models import LedgerImport
from qingqian.web.metrics import child_exit
from tests.api.test_complaints_api import make_complaint

METRICS_MIDDLEWARE = [
    settings.MIDDLEWARE[0],
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    *settings.MIDDLEWARE[1:],
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]


@pytest.fixture
def metrics_on(settings):
    settings.QINGQIAN_METRICS = True
    settings.MIDDLEWARE = METRICS_MIDDLEWARE
    return Client()  # a new client loads the middleware of these settings


def scrape(client, **headers) -> dict:
    """{(name, labels as a sorted tuple): value} of one scrape."""
    response = client.get("/metrics", **headers)
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def test_metrics_are_off_by_default(client):
    assert client.get("/metrics").status_code == 404


@pytest.mark.django_db
def test_only_allowed_addresses_may_read_them(metrics_on, settings):
    settings.QINGQIAN_TRUSTED_PROXIES = ["127.0.0.1"]
    assert metrics_on.get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 404
    # Through our own proxy: the address the proxy saw is the one that counts.
    outside = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "192.0.2.7"}
    assert metrics_on.get("/metrics", **outside).status_code == 404
    settings.QINGQIAN_METRICS_ALLOWED = ["192.0.2.0/24"]
    assert metrics_on.get("/metrics", **outside).status_code == 200


@pytest.mark.django_db
def test_requests_are_counted_by_route_and_status(metrics_on):
    home = (
        "django_http_responses_total_by_status_view_method_total",
        (("method", "GET"), ("status", "200"), ("view", "home")),
    )
    before = scrape(metrics_on).get(home, 0)
    metrics_on.get("/")
    metrics_on.get("/")
    after = scrape(metrics_on)
    assert after[home] == before + 2
    latency = [
        key
        for key in after
        if key[0] == "django_http_requests_latency_seconds_by_view_method_count"
    ]
    assert (("method", "GET"), ("view", "home")) in [labels for _name, labels in latency]


@pytest.mark.django_db
def test_overdue_deadlines_are_counted_by_stage(metrics_on):
    overdue = "qingqian_complaint_deadlines_overdue"
    before = scrape(metrics_on)
    deadline = make_complaint("submitted").deadlines.get(status=Deadline.Status.OPEN)
    assert deadline.due_on >= timezone.localdate()  # a fresh clock: not overdue
    deadline.due_on = timezone.localdate() - timedelta(days=1)  # due yesterday: breached today
    deadline.save()
    after = scrape(metrics_on)
    stage = (overdue, (("stage", deadline.stage),))
    assert after[stage] == before[stage] + 1
    for label in Deadline.Stage.values:
        if label != deadline.stage:
            assert after[(overdue, (("stage", label),))] == before[(overdue, (("stage", label),))]


@pytest.mark.django_db
def test_running_imports_report_their_progress_file(metrics_on, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    record = LedgerImport.objects.create(
        owner=Organisation.objects.get(name="广东省中小企业主管部门"),
        original_name="台账.csv",
        stored_name="0123456789abcdef",
        sha256="0" * 64,
        size=10,
        state=LedgerImport.State.RUNNING,
    )
    progress_path(record).parent.mkdir(parents=True)
    progress_path(record).write_text(json.dumps({"fraction": 0.25, "rows": 250000}))
    figures = scrape(metrics_on)
    label = (("import_id", str(record.pk)),)
    assert figures[("qingqian_ledger_imports_running", ())] == 1
    assert figures[("qingqian_ledger_import_progress_ratio", label)] == 0.25
    assert figures[("qingqian_ledger_import_rows_read", label)] == 250000


def test_a_dead_gunicorn_worker_leaves_the_live_gauges(monkeypatch, tmp_path):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    (tmp_path / "gauge_livesum_4242.db").write_bytes(b"")
    (tmp_path / "counter_4242.db").write_bytes(b"")

    class Worker:
        pid = 4242

    child_exit(None, Worker())
    # Counters stay (the requests were served); the dead process's live gauges go.
    assert sorted(path.name for path in tmp_path.iterdir()) == ["counter_4242.db"]

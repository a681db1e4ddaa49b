"""/healthz, /readyz, the request id and the JSON log lines."""

import json
import re

import pytest
from django.test import override_settings

from qingqian.core import request_id
from qingqian.core.request_log import RequestIdFilter
from tests.web.app_process import requests_in_own_process

NEW_ID = re.compile(r"^[0-9a-f]{32}$")


def test_liveness_reads_nothing_and_ignores_host_and_https_rules(client, settings):
    """No django_db mark: touching the database would fail the test."""
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="10.0.0.5")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_readiness_with_the_database_as_the_queue(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "queue": "ok"}


@pytest.mark.django_db
def test_readiness_pings_the_redis_queue(client):
    with override_settings(QINGQIAN_QUEUE_URL="redis://127.0.0.1:6379/10"):
        assert client.get("/readyz").json() == {"status": "ok", "database": "ok", "queue": "ok"}
    with override_settings(QINGQIAN_QUEUE_URL="redis://127.0.0.1:9/10"):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "queue": "error"}


@pytest.mark.django_db
def test_the_proxys_request_id_is_kept_and_echoed(client):
    response = client.get("/", HTTP_X_REQUEST_ID="nginx-0123456789abcdef")
    assert response["X-Request-ID"] == "nginx-0123456789abcdef"


@pytest.mark.django_db
@pytest.mark.parametrize("sent", [None, "short", "has spaces and <html> in it", "x" * 65])
def test_a_missing_or_malformed_request_id_is_replaced(client, sent):
    headers = {} if sent is None else {"HTTP_X_REQUEST_ID": sent}
    assert NEW_ID.match(client.get("/", **headers)["X-Request-ID"])


def test_every_log_record_gets_the_request_id():
    record_filter = RequestIdFilter()
    outside = _record()
    assert record_filter.filter(outside) and outside.request_id == "-"
    inside = _record()
    with request_id.bound("abcdef012345"):
        record_filter.filter(inside)
    assert inside.request_id == "abcdef012345"


def _record():
    import logging

    return logging.LogRecord("qingqian.test", logging.WARNING, __file__, 1, "a line", (), None)


def test_json_logs_have_one_access_line_per_request_with_its_id():
    run = requests_in_own_process(
        {"QINGQIAN_LOG_FORMAT": "json", "DATABASE_URL": "sqlite:////nonexistent-directory/q"},
        [
            ("get", "/healthz", {}),
            ("get", "/no-such-page/", {"X-Request-ID": "drill-request-000001"}),
        ],
    )
    lines = [json.loads(line) for line in run.log.splitlines() if line.startswith("{")]
    access = [line for line in lines if line["logger"] == "qingqian.access"]
    # The probe is answered before the request log: one access line, the page's.
    assert len(access) == 1
    line = access[0]
    assert line["request_id"] == "drill-request-000001"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/no-such-page/", 404)
    assert line["level"] == "INFO" and line["duration_ms"] >= 0 and "timestamp" in line
    not_found = [line for line in lines if line["logger"] == "django.request"]
    assert [line["request_id"] for line in not_found] == ["drill-request-000001"]


def test_text_logs_write_no_access_line():
    run = requests_in_own_process(
        {"DATABASE_URL": "sqlite:////nonexistent-directory/q"},
        [("get", "/no-such-page/", {"X-Request-ID": "drill-request-000002"})],
    )
    assert "qingqian.access" not in run.log
    assert "[drill-request-000002] Not Found: /no-such-page/" in run.log


def test_an_unknown_log_format_refuses_to_start():
    with pytest.raises(AssertionError, match="QINGQIAN_LOG_FORMAT: `text` or `json`, not 'xml'"):
        requests_in_own_process({"QINGQIAN_LOG_FORMAT": "xml"}, [])

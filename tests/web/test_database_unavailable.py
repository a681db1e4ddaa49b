"""A database that cannot be reached: every request answers a clean 503 with
Retry-After, as a page in the reader's language or as the API's JSON, never a
500; the liveness probe still answers and the readiness probe says what failed.

The application runs in a process of its own with DATABASE_URL pointing at a
closed port (PostgreSQL) or at a file it cannot open (SQLite)."""

import pytest

from tests.web.app_process import requests_in_own_process

CLOSED_POSTGRESQL = "postgres://postgres@127.0.0.1:9/qingqian?connect_timeout=2"
UNOPENABLE_SQLITE = "sqlite:////nonexistent-directory/qingqian.sqlite3"
ENGLISH = {"Cookie": "django_language=en"}
# A session cookie: the session and the signed-in user are read from the
# database by the middleware, before any view runs.
SIGNED_IN = {"Cookie": "django_language=en; sessionid=abcdefghijklmnopqrstuvwxyz012345"}
MESSAGE = "The database is unavailable: nothing was done, try again in a minute."


@pytest.mark.parametrize("database_url", [CLOSED_POSTGRESQL, UNOPENABLE_SQLITE])
def test_every_kind_of_request_answers_503_with_a_message(database_url):
    run = requests_in_own_process(
        {"DATABASE_URL": database_url, "QINGQIAN_VAR_DIR": "/nonexistent-directory"},
        [
            ("get", "/", ENGLISH),
            ("get", "/complaints/", SIGNED_IN),
            ("post", "/accounts/login/", ENGLISH, {"username": "a", "password": "b"}),
            ("get", "/", {}),
            ("get", "/api/v1/public/statistics/", {"Accept-Language": "en"}),
            ("get", "/api/v1/complaints/", {"Authorization": "Bearer x", "Accept-Language": "en"}),
            ("get", "/healthz", {}),
            ("get", "/readyz", {}),
        ],
    )
    page, signed_in, sign_in, chinese, public_api, api, healthz, readyz = run.answers
    for answer in (page, signed_in, sign_in, chinese, public_api, api):
        assert answer.status == 503, answer.body[:2000]
        assert answer.headers["Retry-After"] == "60"
    for answer in (page, signed_in, sign_in):
        assert "The database is unavailable" in answer.body
        assert "send your request again in a minute" in answer.body
        assert 'data-testid="error-503-database"' in answer.body
    assert '<html lang="zh-Hans">' in chinese.body
    for answer in (public_api, api):
        assert answer.json() == {"code": "unavailable", "message": MESSAGE, "fields": {}}
    assert (healthz.status, healthz.json()) == (200, {"status": "ok"})
    assert (readyz.status, readyz.json()) == (
        503,
        {"status": "error", "database": "error", "queue": "error"},
    )
    assert "Internal Server Error" not in run.log

"""The shared cache when Redis is away: misses, no errors; sessions (cached_db)
keep a signed-in person signed in; throttles fail open."""

import logging
import uuid

import pytest
from django.test import Client, override_settings

from qingqian.core import throttle
from qingqian.core.forgiving_cache import ForgivingRedisCache
from qingqian.core.production import DEMO_PASSWORD

REDIS_UP = "redis://127.0.0.1:6379/11"
REDIS_DOWN = "redis://127.0.0.1:9/11"  # nothing listens on the discard port


def redis_cache(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "qingqian.core.forgiving_cache.ForgivingRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def unreachable() -> ForgivingRedisCache:
    return ForgivingRedisCache(REDIS_DOWN, {})


def test_a_reachable_redis_is_an_ordinary_cache():
    shared = ForgivingRedisCache(REDIS_UP, {})
    key, count = f"qingqian-test:{uuid.uuid4().hex}", f"qingqian-test:{uuid.uuid4().hex}"
    shared.set(key, {"a": 1})
    assert shared.get(key) == {"a": 1}
    assert shared.add(count, 0) is True
    assert shared.incr(count, 2) == 2
    shared.delete_many([key, count])
    assert shared.get(key) is None


def test_an_unreachable_redis_reads_as_an_empty_cache_that_keeps_nothing():
    down = unreachable()
    down.set("k", "v")
    assert down.get("k") is None
    assert down.get("k", "fallback") == "fallback"
    assert down.get_many(["k", "l"]) == {}
    assert down.has_key("k") is False
    assert down.add("k", "v") is False
    assert down.set_many({"k": 1, "l": 2}) == ["k", "l"]
    assert down.incr("counter", 3) == 3
    assert down.get_or_set("k", "computed") == "computed"
    down.delete("k")
    down.clear()


def test_an_outage_is_logged_once_and_not_retried_at_every_call(caplog):
    down = unreachable()
    with caplog.at_level(logging.ERROR, logger="qingqian.core.forgiving_cache"):
        for _ in range(20):
            down.get("k")
    assert len(caplog.records) == 1
    assert "cannot be reached" in caplog.records[0].getMessage()
    assert down.paused_until > 0


def test_throttles_fail_open_while_redis_is_away():
    with override_settings(CACHES=redis_cache(REDIS_DOWN)):
        assert not any(throttle.over_limit("192.0.2.1", per_hour=2) for _ in range(10))


@pytest.mark.django_db
def test_pages_sign_in_and_the_api_work_with_redis_down(api_client_for):
    with override_settings(
        CACHES=redis_cache(REDIS_DOWN), SESSION_ENGINE="django.contrib.sessions.backends.cached_db"
    ):
        client = Client()
        assert client.get("/").status_code == 200
        assert client.get("/public/statistics/").status_code == 200
        response = client.post(
            "/accounts/login/", {"username": "sme-demo", "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, response.content[:500]
        assert client.get("/complaints/").status_code == 200
        assert api_client_for("gd-intake").get("/api/v1/complaints/").status_code == 200
        assert Client().get("/api/v1/public/statistics/").status_code == 200


@pytest.mark.django_db
def test_a_signed_in_person_stays_signed_in_when_redis_goes_away():
    sessions = "django.contrib.sessions.backends.cached_db"
    client = Client()
    with override_settings(CACHES=redis_cache(REDIS_UP), SESSION_ENGINE=sessions):
        client.post("/accounts/login/", {"username": "sme-demo", "password": DEMO_PASSWORD})
        assert client.get("/complaints/").status_code == 200
    with override_settings(CACHES=redis_cache(REDIS_DOWN), SESSION_ENGINE=sessions):
        response = client.get("/complaints/")
    assert response.status_code == 200  # not sent to the sign-in page

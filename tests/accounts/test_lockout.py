"""Sign-in lockout and the token throttle: answered with 429 and Retry-After on
the web and the API, and counted per client address, also behind a proxy."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

TOKEN_URL = "/api/v1/auth/token/"
LOGIN_URL = "/accounts/login/"
COOL_OFF_SECONDS = "900"  # AXES_COOLOFF_TIME: a quarter of an hour


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    """The token throttle counts in the cache, which outlives each test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def behind_proxy(settings):
    settings.QINGQIAN_TRUSTED_PROXIES = ["127.0.0.1"]


def from_client(address: str) -> dict:
    """What nginx on 127.0.0.1 passes on for a client at `address`."""
    return {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": address}


def api_sign_in(password: str, **extra):
    credentials = {"username": "gd-intake", "password": password}
    return APIClient().post(TOKEN_URL, credentials, format="json", **extra)


def web_sign_in(password: str, client: Client | None = None, **extra):
    credentials = {"username": "gd-intake", "password": password}
    return (client or Client()).post(LOGIN_URL, credentials, **extra)


def fail_five_times(sign_in, **extra):
    """The fifth failure locks (and is itself answered with the lockout)."""
    for _ in range(5):
        sign_in("wrong", **extra)


@pytest.mark.django_db
def test_a_locked_account_gets_a_json_429_from_the_token_endpoint():
    fail_five_times(api_sign_in)
    response = api_sign_in("demo-password")
    assert response.status_code == 429
    assert response["Retry-After"] == COOL_OFF_SECONDS
    body = response.json()
    assert body == {"code": "locked_out", "message": body["message"], "fields": {}}
    assert "锁定 15 分钟" in body["message"]


@pytest.mark.django_db
def test_the_api_lockout_message_follows_accept_language():
    fail_five_times(api_sign_in)
    response = api_sign_in("demo-password", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "locked for 15 minutes" in response.json()["message"]


@pytest.mark.django_db
def test_a_locked_account_gets_the_sign_in_page_with_429_on_the_web(settings):
    fail_five_times(web_sign_in)
    client = Client()
    response = web_sign_in("demo-password", client)
    assert response.status_code == 429
    assert response["Retry-After"] == COOL_OFF_SECONDS
    assert "锁定 15 分钟" in response.content.decode()
    assert SESSION_KEY not in client.session
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = web_sign_in("demo-password", client)
    assert response.status_code == 429
    assert "locked for 15 minutes" in response.content.decode()


@pytest.mark.django_db
def test_behind_a_trusted_proxy_one_clients_failures_do_not_lock_another_on_the_web(
    behind_proxy,
):
    fail_five_times(web_sign_in, **from_client("198.51.100.7"))
    assert web_sign_in("demo-password", **from_client("198.51.100.7")).status_code == 429
    assert web_sign_in("demo-password", **from_client("198.51.100.8")).status_code == 302


@pytest.mark.django_db
def test_behind_a_trusted_proxy_one_clients_failures_do_not_lock_another_on_the_api(
    behind_proxy,
):
    fail_five_times(api_sign_in, **from_client("198.51.100.7"))
    assert api_sign_in("demo-password", **from_client("198.51.100.7")).status_code == 429
    assert api_sign_in("demo-password", **from_client("198.51.100.8")).status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize("sign_in", [web_sign_in, api_sign_in], ids=["web", "api"])
def test_an_untrusted_peer_cannot_dodge_the_lockout_with_forged_headers(behind_proxy, sign_in):
    for attempt in range(5):
        sign_in("wrong", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}")
    forged = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "198.51.100.99"}
    assert sign_in("demo-password", **forged).status_code == 429


@pytest.mark.django_db
def test_the_token_throttle_counts_per_client_behind_a_trusted_proxy(behind_proxy, settings):
    settings.QINGQIAN_API_TOKEN_RATE = "2/min"
    for _ in range(2):
        assert api_sign_in("demo-password", **from_client("198.51.100.7")).status_code == 201
    throttled = api_sign_in("demo-password", **from_client("198.51.100.7"))
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled"
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert api_sign_in("demo-password", **from_client("198.51.100.8")).status_code == 201


@pytest.mark.django_db
def test_an_untrusted_peer_cannot_dodge_the_token_throttle(behind_proxy, settings):
    settings.QINGQIAN_API_TOKEN_RATE = "2/min"
    for attempt in range(2):
        forged = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": f"198.51.100.{attempt}"}
        assert api_sign_in("demo-password", **forged).status_code == 201
    forged = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "198.51.100.99"}
    assert api_sign_in("demo-password", **forged).status_code == 429

"""HTTPS only (HSTS, redirect to https) when the environment says the site is
served over TLS: secure cookies on, or TLS terminated by a proxy in front.
The settings module is re-read under each environment, then applied."""

import importlib

import pytest
from django.test import Client, override_settings

import qingqian.settings

TRANSPORT_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
]
A_YEAR = 365 * 24 * 3600


@pytest.fixture
def client_under(monkeypatch):
    """client_under(QINGQIAN_SECURE_COOKIES="1") → a client of the site so configured."""
    overrides = []

    def make(**environment) -> Client:
        for name in ("QINGQIAN_SECURE_COOKIES", "QINGQIAN_TLS_PROXY", "QINGQIAN_HSTS_PRELOAD"):
            monkeypatch.delenv(name, raising=False)
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        module = importlib.reload(qingqian.settings)
        values = {name: getattr(module, name, None) for name in TRANSPORT_SETTINGS}
        override = override_settings(**values)
        override.enable()
        overrides.append(override)
        return Client()

    yield make
    for override in reversed(overrides):
        override.disable()
    monkeypatch.undo()
    importlib.reload(qingqian.settings)


def hsts(response) -> str | None:
    return response.get("Strict-Transport-Security")


@pytest.mark.django_db
def test_secure_cookies_bring_hsts_for_a_year_and_the_redirect_to_https(client_under):
    client = client_under(QINGQIAN_SECURE_COOKIES="1")
    response = client.get("/", secure=True)
    assert response.status_code == 200
    assert hsts(response) == f"max-age={A_YEAR}; includeSubDomains"
    plain = client.get("/accounts/login/?next=/ledger/")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/accounts/login/?next=/ledger/"


@pytest.mark.django_db
def test_without_secure_cookies_the_site_stays_on_http(client_under):
    client = client_under()
    assert client.get("/").status_code == 200
    assert hsts(client.get("/", secure=True)) is None


@pytest.mark.django_db
def test_behind_a_tls_proxy_the_forwarded_scheme_counts(client_under):
    client = client_under(QINGQIAN_TLS_PROXY="1")
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert hsts(response) == f"max-age={A_YEAR}; includeSubDomains"
    assert client.get("/", headers={"X-Forwarded-Proto": "http"}).status_code == 301


@pytest.mark.django_db
def test_preload_is_the_operators_choice(client_under):
    client = client_under(QINGQIAN_SECURE_COOKIES="1", QINGQIAN_HSTS_PRELOAD="1")
    assert hsts(client.get("/", secure=True)).endswith("; includeSubDomains; preload")
    client = client_under(QINGQIAN_HSTS_PRELOAD="1")
    assert hsts(client.get("/", secure=True)) is None

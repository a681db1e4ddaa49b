"""The client address behind a trusted reverse proxy, and only behind one."""

import pytest
from django.test import RequestFactory

from qingqian.core.client_address import client_address


def request_from(peer: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.fixture
def proxy(settings):
    settings.QINGQIAN_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.QINGQIAN_TRUSTED_PROXIES = []
    assert client_address(request_from("203.0.113.5", "198.51.100.7")) == "203.0.113.5"


def test_untrusted_peer_cannot_choose_its_address(proxy):
    assert client_address(request_from("203.0.113.5", "198.51.100.7")) == "203.0.113.5"


def test_trusted_proxy_gives_the_address_it_saw(proxy):
    assert client_address(request_from("127.0.0.1", "198.51.100.7")) == "198.51.100.7"


def test_forged_entries_left_of_the_proxys_own_are_not_believed(proxy):
    # The client sent "X-Forwarded-For: 192.0.2.1"; nginx appended the real peer.
    request = request_from("127.0.0.1", "192.0.2.1, 198.51.100.7")
    assert client_address(request) == "198.51.100.7"


def test_chains_of_trusted_proxies_are_skipped(proxy):
    request = request_from("127.0.0.1", "198.51.100.7, 10.1.2.3")
    assert client_address(request) == "198.51.100.7"


def test_garbage_in_the_header_falls_back_to_the_peer(proxy):
    assert client_address(request_from("127.0.0.1", "not-an-address")) == "127.0.0.1"
    assert client_address(request_from("127.0.0.1", "")) == "127.0.0.1"

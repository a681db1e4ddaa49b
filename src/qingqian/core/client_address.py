"""The client's address, also behind a reverse proxy.

Behind nginx every request comes from the proxy's address. The address the
proxy saw is in `X-Forwarded-For`, but anyone can send that header, so it is
believed only when the request's peer (`REMOTE_ADDR`) is one of the proxies
named in `QINGQIAN_TRUSTED_PROXIES` (addresses or networks). The list is
walked from the right, skipping trusted proxies: the first address that is not
one of ours is the client (a client cannot forge entries to the right of what
our own proxy appended).

Sign-in lockout, API throttles and the audit log all read the address from
here, so they never disagree.
"""

from __future__ import annotations

import ipaddress
from contextvars import ContextVar
from functools import lru_cache

from django.conf import settings

FORWARDED_HEADER = "HTTP_X_FORWARDED_FOR"

_current: ContextVar[str] = ContextVar("qingqian_client_address", default="")


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    parsed = _parse(address)
    networks = _networks(tuple(getattr(settings, "QINGQIAN_TRUSTED_PROXIES", ())))
    return parsed is not None and any(parsed in network for network in networks)


def client_address(request) -> str:
    """The client's IP address as text ('' when the peer is not an address)."""
    peer = request.META.get("REMOTE_ADDR", "")
    if not is_trusted_proxy(peer):
        return str(_parse(peer) or "")
    hops = [hop for hop in request.META.get(FORWARDED_HEADER, "").split(",") if hop.strip()]
    for hop in reversed(hops):
        parsed = _parse(hop)
        if parsed is None:
            break  # a malformed entry: trust nothing left of it
        if not is_trusted_proxy(str(parsed)):
            return str(parsed)
    return str(_parse(peer) or "")


def current_client_address() -> str:
    """The address of the request being served, for code without the request
    (the audit log); '' outside a request (CLI, jobs)."""
    return _current.get()


class ClientAddressMiddleware:
    """Works out the client address once per request: `request.client_address`,
    and `current_client_address()` for the rest of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client_address = client_address(request)
        token = _current.set(request.client_address)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)

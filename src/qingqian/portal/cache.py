"""The public pages and the public API's statistics and notices, cached.

A page is stored under a key made of the figures' version
(`qingqian.core.figures_version`, read before the figures are), today's date
(the figures are read "as of today"), the language, the format, the address
(scheme, host, path) and the sorted query string. A change of any public figure
moves the version, so the pages shown before it are never reached again; they
expire from the cache on their own (CACHES, QINGQIAN_CACHE_URL).

What is never cached: anything for a signed-in person (their pages name them and
their role; they neither read nor write an entry), anything but a 200, a
download (its file name says when it was extracted: each download is extracted
anew), a response setting a cookie. A cached page's CSRF token (the language
switch's form) is not the first visitor's: the token is taken out when the page is
stored and each visitor's own is put back when it is served, so the switch works
and the CSRF cookie is set as on an uncached page. Vary, Content-Language and the
cookies are added by the middleware to the cached response as to a fresh one: only
the view's own body, status and headers are stored.

See docs/adr/0010-public-page-cache.md.
"""

from __future__ import annotations

import hashlib
import re
from functools import wraps
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from qingqian.core import figures_version

PREFIX = "qq:public:"
# Long enough to serve many requests, short enough to let unreachable entries go.
TIMEOUT_SECONDS = 3600
_CSRF_VALUE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_PLACEHOLDER = b"\x00qq-csrf-token\x00"
# What is stored: pages (HTML, the feed) and API answers; never a file.
_PAGE_TYPES = ("text/html", "application/json", "application/atom+xml")
# Headers the middleware adds (to a cached page as to a fresh one) or that belong
# to one response only.
_NOT_STORED = frozenset({"vary", "content-language", "set-cookie", "content-length"})


def page_key(request, fmt: str = "html") -> str | None:
    """The entry's key, or None when this request must not use the cache."""
    if request.method != "GET" or request.user.is_authenticated:
        return None
    query = urlencode(
        sorted((name, value) for name in request.GET for value in request.GET.getlist(name))
    )
    parts = (
        str(figures_version.current()),  # first: a page is never older than its key says
        timezone.localdate().isoformat(),
        translation.get_language() or "",
        fmt,
        request.build_absolute_uri(request.path),  # the feed's links name the host
        query,
    )
    return PREFIX + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def cached_response(request, key: str) -> HttpResponse | None:
    stored = cache.get(key)
    if stored is None:
        return None
    status, headers, body, has_token = stored
    if has_token:
        body = body.replace(_CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(body, status=status)
    for name, value in headers:
        response[name] = value
    return response


def store(key: str, response) -> None:
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or not response.get("Content-Type", "").startswith(_PAGE_TYPES)
    ):
        return
    body, replaced = _CSRF_VALUE.subn(rb"\1" + _CSRF_PLACEHOLDER + rb"\2", response.content)
    headers = [(n, v) for n, v in response.items() if n.lower() not in _NOT_STORED]
    cache.set(key, (response.status_code, headers, body, bool(replaced)), TIMEOUT_SECONDS)


def cached_page(view):
    """A public page's view (function or callable), cached for the signed-out."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = page_key(request)
        if key is None:
            return view(request, *args, **kwargs)
        hit = cached_response(request, key)
        if hit is not None:
            return hit
        response = view(request, *args, **kwargs)
        _store_when_rendered(key, response)
        return response

    return wrapper


def cached_api(get):
    """A public API view's `get`, cached in its JSON form (the browsable HTML form
    carries a CSRF token and a sign-in link: not cached)."""

    @wraps(get)
    def wrapper(self, request, *args, **kwargs):
        fmt = getattr(getattr(request, "accepted_renderer", None), "format", "")
        key = page_key(request._request, fmt) if fmt == "json" else None
        if key is None:
            return get(self, request, *args, **kwargs)
        hit = cached_response(request._request, key)
        if hit is not None:
            return hit
        response = get(self, request, *args, **kwargs)
        _store_when_rendered(key, response)
        return response

    return wrapper


def _store_when_rendered(key: str, response) -> None:
    if getattr(response, "is_rendered", True):
        store(key, response)
    else:  # a DRF Response or a TemplateResponse: rendered after the view returns
        response.add_post_render_callback(lambda rendered: store(key, rendered))

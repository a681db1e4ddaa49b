"""Middleware that only pages need, passed by for API requests with a bearer token.

A request to /api/ with `Authorization: Bearer …` is authenticated by its
token alone: qingqian.api.auth answers such a header with the token's user or
a 401, never by falling back to the session. So the session, the session's
user and second-factor state, and the flash messages are of no use to it, and
reading them cost a session lookup (with a cookie, a read of the session
table) and a good part of a small API request's time. CSRF checks, security
headers, the language, throttling and the sign-in lockout run for it as for
any request. A request under /api/ without a bearer token (the browsable API,
or a script using the session) goes through all of them, CSRF and the
two-factor rule included.
"""

from __future__ import annotations

from django.contrib.auth.middleware import AuthenticationMiddleware as _Authentication
from django.contrib.messages.middleware import MessageMiddleware as _Messages
from django.contrib.sessions.middleware import SessionMiddleware as _Session
from django_otp.middleware import OTPMiddleware as _SecondFactor

API_PREFIX = "/api/"
BEARER = "bearer"


def is_bearer_api_request(request) -> bool:
    if not request.path_info.startswith(API_PREFIX):
        return False
    # Split as qingqian.api.auth (DRF) splits it: any such header is the token's to answer.
    words = request.META.get("HTTP_AUTHORIZATION", "").split(None, 1)
    return bool(words) and words[0].lower() == BEARER


def pages_only(middleware: type) -> type:
    """A subclass of `middleware` (Django's checks look for the class) that
    hands a bearer-token API request straight on."""

    class PagesOnly(middleware):
        def __call__(self, request):
            if is_bearer_api_request(request):
                return self.get_response(request)
            return super().__call__(request)

    PagesOnly.__name__ = PagesOnly.__qualname__ = middleware.__name__
    PagesOnly.__doc__ = f"{middleware.__module__}.{middleware.__name__}, for pages only."
    return PagesOnly


SessionMiddleware = pages_only(_Session)
AuthenticationMiddleware = pages_only(_Authentication)
OTPMiddleware = pages_only(_SecondFactor)
MessageMiddleware = pages_only(_Messages)

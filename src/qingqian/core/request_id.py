"""The request id: one value per web request, carried into the log lines it
writes and into the background tasks it causes, so that an operator can follow
one request from the proxy's access log to the task that finished its work.

The proxy sends it as X-Request-ID (nginx's $request_id); a request without one
gets a new id. A task runs with the id of the request that queued it.
"""

from __future__ import annotations

import re
import uuid
from contextlib import contextmanager
from contextvars import ContextVar

HEADER = "X-Request-ID"
# What a proxy may send: hex, letters, digits, dashes; anything else is replaced,
# so a client cannot write arbitrary text into the logs.
_ACCEPTED = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

_current: ContextVar[str] = ContextVar("qingqian_request_id", default="")


def current() -> str:
    """The id of the request (or task) being served; "" outside either."""
    return _current.get()


def new_id() -> str:
    return uuid.uuid4().hex


def accepted(value: str | None) -> str:
    """The proxy's id if it is well formed, else a new one."""
    return value if value and _ACCEPTED.match(value) else new_id()


@contextmanager
def bound(value: str):
    """Serve a request or run a task with this id."""
    token = _current.set(value)
    try:
        yield value
    finally:
        _current.reset(token)

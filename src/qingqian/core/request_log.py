"""Every log line names the request (or task) it belongs to, and in JSON
format each request leaves one access line.

`RequestIdMiddleware` binds the id the proxy sent in X-Request-ID (nginx's
$request_id; a new one when missing or malformed) for the request and echoes
it in the response, so a user's error report, the proxy's access log, this
process's lines and the tasks the request queued share one id.

The access line: with QINGQIAN_LOG_FORMAT=json the middleware logs one line per
request (method, path, route, status, duration_ms, request_id), because the
proxy's and gunicorn's access logs are text without the route and a log
collector wants one JSON stream. With the default text format it logs none:
gunicorn and nginx already write an access line each, and a third would only
repeat them.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings

from qingqian.core import request_id

access_logger = logging.getLogger("qingqian.access")
# The header as Django's request.META names it.
META_HEADER = "HTTP_" + request_id.HEADER.upper().replace("-", "_")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record ("-" outside a request or task), for
    the formatters of settings.LOGGING. Django logs a response's 4xx/5xx line
    after the middleware returned, outside the bound id: that record carries
    the request, which carries its id."""

    def filter(self, record):
        record.request_id = (
            request_id.current()
            or getattr(getattr(record, "request", None), "request_id", "")
            or "-"
        )
        return True


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.log_access = settings.QINGQIAN_LOG_FORMAT == "json"

    def __call__(self, request):
        started = time.perf_counter()
        with request_id.bound(request_id.accepted(request.META.get(META_HEADER))) as value:
            request.request_id = value
            response = self.get_response(request)
            response[request_id.HEADER] = value
            if self.log_access:
                _log_access(request, response, started)
        return response


def _log_access(request, response, started: float) -> None:
    match = getattr(request, "resolver_match", None)
    access_logger.info(
        "%s %s %s",
        request.method,
        request.path,
        response.status_code,
        extra={
            "method": request.method,
            "path": request.path,
            "route": match.view_name if match is not None else "",
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )

"""Liveness, readiness and metrics for the machines that watch the platform.

`/healthz` says the process answers (nothing else is touched: a database
outage must not get every app process restarted); `/readyz` says whether it can
serve (the database answers `SELECT 1`, the queue answers PING), so a load
balancer stops sending requests to a process that cannot serve them.

`ProbeMiddleware` answers these paths, and /metrics, first of all the
middleware: no session, no CSRF, no sign-in, no host or HTTPS redirect rules
(a probe asks by the machine's address over plain HTTP), no request log line.
The URL patterns name the same views (reversing, and the tests that enumerate
every URL).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse

from qingqian.web import metrics

logger = logging.getLogger(__name__)
# The queue's PING must answer within this, or the process is not ready.
QUEUE_TIMEOUT_SECONDS = 2


def healthz(request):
    return JsonResponse({"status": "ok"})


def readyz(request):
    database = _database()
    checks = {"database": database, "queue": _queue(database)}
    ready = all(result == "ok" for result in checks.values())
    body = {"status": "ok" if ready else "error", **checks}
    return JsonResponse(body, status=200 if ready else 503)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        logger.warning("Readiness: the database does not answer: %s", error)
        return "error"
    return "ok"


def _queue(database: str) -> str:
    """Redis when tasks go to it (QINGQIAN_QUEUE_URL); otherwise the queue is a
    table of the database, whose check is `database`."""
    url = getattr(settings, "QINGQIAN_QUEUE_URL", "")
    if not url:
        return database
    import redis  # only where a queue URL is set

    client = redis.Redis.from_url(
        url, socket_connect_timeout=QUEUE_TIMEOUT_SECONDS, socket_timeout=QUEUE_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    except redis.RedisError as error:
        logger.warning("Readiness: the queue does not answer: %s", error)
        return "error"
    finally:
        client.close()
    return "ok"


PROBES = {"/healthz": healthz, "/readyz": readyz, "/metrics": metrics.metrics}


class ProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        return probe(request) if probe is not None else self.get_response(request)

"""Prometheus metrics at /metrics, when QINGQIAN_METRICS is on.

Requests by route (view name) and status, and their latency, come from
django-prometheus's two middleware (added to MIDDLEWARE only when metrics are
on, so that an installation without them pays nothing per request). Figures
that only the database knows (deadline breaches, import progress, the queue)
are read when Prometheus scrapes, by the collector classes listed in
QINGQIAN_METRICS_COLLECTORS.

Under gunicorn each worker process counts its own requests: with
PROMETHEUS_MULTIPROC_DIR set (before the processes start), prometheus_client
keeps the counts in files there and a scrape of any worker adds them all up;
`child_exit` forgets a dead worker's gauges.

The figures are not public: only QINGQIAN_METRICS_ALLOWED addresses (the client
address, behind trusted proxies the one they saw) get them; anyone else, and
everyone when metrics are off, gets a 404.
"""

from __future__ import annotations

import ipaddress
import os

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.module_loading import import_string
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)

from qingqian.core.client_address import client_address

MULTIPROCESS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"


def metrics(request):
    if not settings.QINGQIAN_METRICS or not _allowed(client_address(request)):
        raise Http404
    return HttpResponse(generate_latest(scrape_registry()), content_type=CONTENT_TYPE_LATEST)


def scrape_registry() -> CollectorRegistry:
    """What one scrape reports: every process's request figures (this one's
    alone without multi-process mode), then the database's figures."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get(MULTIPROCESS_DIRECTORY):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REGISTRY)
    for path in settings.QINGQIAN_METRICS_COLLECTORS:
        registry.register(import_string(path)())
    return registry


def _allowed(address: str) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(
        parsed in ipaddress.ip_network(entry, strict=False)
        for entry in settings.QINGQIAN_METRICS_ALLOWED
    )


def child_exit(server, worker) -> None:
    """gunicorn's child_exit hook (in the gunicorn configuration file:
    `from qingqian.web.metrics import child_exit`): a dead worker's live gauges
    leave the sums."""
    if os.environ.get(MULTIPROCESS_DIRECTORY):
        multiprocess.mark_process_dead(worker.pid)

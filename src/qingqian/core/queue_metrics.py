"""Prometheus gauges of the task queue and the outbox, computed at each scrape.

`QueueCollector` is registered with prometheus_client's registry by the web
app that serves /metrics. A queue or a database that cannot be read at scrape
time leaves its gauges out (and logs why) instead of failing the scrape: the
readiness probe is what reports it down.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from django.db import DatabaseError
from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily
from redis.exceptions import RedisError

from qingqian.core.models import OutboxEntry

logger = logging.getLogger(__name__)


class QueueCollector:
    def collect(self):
        depth = GaugeMetricFamily(
            "qingqian_queue_depth", "Tasks waiting in the queue", labels=["queue"]
        )
        oldest = GaugeMetricFamily(
            "qingqian_queue_oldest_age_seconds",
            "Age of the task that has waited longest in the queue (0: none waits)",
            labels=["queue"],
        )
        now = timezone.now()
        try:
            for name, count, enqueued_at in waiting_tasks():
                depth.add_metric([name], count)
                oldest.add_metric([name], _age(now, enqueued_at))
        except (RedisError, DatabaseError) as error:
            logger.warning("queue metrics: the queue cannot be read: %s", error)
        yield depth
        yield oldest
        try:
            pending, created_at = outbox_pending()
        except DatabaseError as error:
            logger.warning("queue metrics: the outbox cannot be read: %s", error)
            return
        yield GaugeMetricFamily(
            "qingqian_outbox_pending", "Outbox entries not yet sent to the queue", value=pending
        )
        yield GaugeMetricFamily(
            "qingqian_outbox_oldest_age_seconds",
            "Age of the oldest outbox entry not yet sent (0: none)",
            value=_age(now, created_at),
        )


def _age(now: datetime, since: datetime | None) -> float:
    return max((now - since).total_seconds(), 0.0) if since else 0.0


def waiting_tasks() -> list[tuple[str, int, datetime | None]]:
    """(queue, how many tasks wait, when the oldest was queued) per queue of
    the default backend: RQ's queues in Redis, or the database queue's rows."""
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend

    from qingqian.core.rq_backend import RetryingRQBackend

    backend = task_backends["default"]
    if isinstance(backend, RetryingRQBackend):
        return [_rq_queue(name) for name in backend.queue_names()]
    if isinstance(backend, DatabaseBackend):
        return _database_queues()
    return []  # the immediate backend: nothing ever waits


def _rq_queue(name: str) -> tuple[str, int, datetime | None]:
    import django_rq
    from django_tasks_rq.backend import Job

    queue = django_rq.get_queue(name, job_class=Job)
    first = queue.get_job_ids(0, 0)
    job = queue.fetch_job(first[0]) if first else None
    enqueued_at = job.enqueued_at if job else None
    if enqueued_at is not None and timezone.is_naive(enqueued_at):
        enqueued_at = enqueued_at.replace(tzinfo=UTC)
    return name, queue.count, enqueued_at


def _database_queues() -> list[tuple[str, int, datetime | None]]:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    rows = (
        DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        .values("queue_name")
        .annotate(count=Count("id"), oldest=Min("enqueued_at"))
        .order_by("queue_name")
    )
    return [(row["queue_name"], row["count"], row["oldest"]) for row in rows]


def outbox_pending() -> tuple[int, datetime | None]:
    figures = OutboxEntry.objects.filter(sent_at=None).aggregate(
        count=Count("id"), oldest=Min("created_at")
    )
    return figures["count"], figures["oldest"]

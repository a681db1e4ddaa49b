"""The task queue as the tests see it, on the database queue or on Redis.

Parallel test processes (pytest-xdist) must never take each other's jobs nor
flush each other's cache: each uses the Redis database numbered the URL's
plus its worker index (gw0: +0, gw1: +1, ...).
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

import redis
from django.conf import settings
from django_tasks import task_backends

from qingqian.core.models import OutboxEntry
from qingqian.core.rq_backend import RetryingRQBackend

REDIS_DATABASES = 16
# The Redis queue of tests that set one up themselves (tests/core/test_outbox.py...)
# when the run has none (the SQLite pass): databases 8 and up.
TEST_QUEUE_URL = "redis://127.0.0.1:6379/8"


def worker_index() -> int:
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))


def this_workers_redis(url: str) -> str:
    """`url` with its database number moved up by this test process's index."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        return url
    db = int(parts.path.strip("/") or 0) + worker_index()
    if db >= REDIS_DATABASES:
        raise RuntimeError(
            f"{url}: test process {worker_index()} would need Redis database {db}; "
            "start from a lower database or run fewer processes"
        )
    return urlunsplit(parts._replace(path=f"/{db}"))


def separate_redis_per_worker() -> None:
    """Point this process's queue and cache at its own Redis databases, and
    empty its queue's database (left over from an earlier run)."""
    queues = getattr(settings, "RQ_QUEUES", {})
    for config in queues.values():
        config["URL"] = this_workers_redis(config["URL"])
        redis.Redis.from_url(config["URL"]).flushdb()
    cache = settings.CACHES["default"]
    if "redis" in cache["BACKEND"].lower():
        cache["LOCATION"] = this_workers_redis(cache["LOCATION"])


def uses_redis_queue() -> bool:
    return isinstance(task_backends["default"], RetryingRQBackend)


def queued_calls() -> list[tuple[str, list]]:
    """(task path, arguments) of the work queued with changes and not yet run,
    oldest first: rows of the database queue, or entries of the outbox."""
    if uses_redis_queue():
        entries = OutboxEntry.objects.filter(done_at=None).order_by("pk")
        return [(entry.task_path, entry.args) for entry in entries]
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(status="READY").order_by("enqueued_at")
    return [(row.task_path, row.args_kwargs["args"]) for row in rows]


def queued_count() -> int:
    """Everything ever queued with changes (run or not), to count what an act adds."""
    if uses_redis_queue():
        return OutboxEntry.objects.count()
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.count()

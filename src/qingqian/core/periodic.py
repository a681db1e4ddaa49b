"""Periodic jobs run once per period, however many schedulers tick.

A scheduler claims (job, period) by inserting a `PeriodicRun` row whose pair
is unique, and queues the job in the same transaction: the scheduler that
commits first queues it, the others hit the unique constraint and queue
nothing. A claim that rolls back (the database failed) leaves the period free
for the next tick.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import IntegrityError, transaction

from qingqian.core.models import PeriodicRun
from qingqian.core.queue import enqueue_with_change


def period_of(now: datetime, every_seconds: int) -> str:
    """The start of the period `now` falls in, periods of `every_seconds`
    counted from the Unix epoch (so every machine agrees)."""
    epoch = int(now.timestamp())
    start = datetime.fromtimestamp(epoch - epoch % every_seconds, tz=UTC)
    return start.isoformat(timespec="seconds")


def run_once_per_period(job: str, period: str, task, *args) -> bool:
    """Queue `task(*args)` unless `job` was already claimed for `period`;
    returns whether this call queued it."""
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(job=job, period=period)
            enqueue_with_change(task, *args)
    except IntegrityError:
        return False
    return True


def prune_claims(before: datetime) -> int:
    """Forget claims made before `before` (their periods are long over)."""
    deleted, _by_model = PeriodicRun.objects.filter(claimed_at__lt=before).delete()
    return deleted

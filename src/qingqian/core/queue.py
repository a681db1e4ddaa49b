"""Queueing background work as part of the change that calls for it."""

from __future__ import annotations

from django.db import transaction
from django_tasks_db import DatabaseBackend

from qingqian.core import outbox
from qingqian.core.rq_backend import RetryingRQBackend


def enqueue_with_change(task, *args) -> None:
    """Queue `task(*args)` to run once the current change has committed.

    On the database queue (the embedded default) the task's row is written
    inside the change's own transaction: it exists exactly when the change
    does, so nothing is queued for a rollback and nothing is lost if the
    process stops between the commit and a later enqueue, and no second write
    transaction is spent on it. On the queue in Redis (production) an outbox
    entry gives the same promise: written in the transaction, relayed to Redis
    after the commit (qingqian.core.outbox). Any other queue (the immediate
    backend of some tests) is handed the task after the commit.
    """
    backend = task.get_backend()
    if isinstance(backend, DatabaseBackend):
        task.enqueue(*args)
    elif isinstance(backend, RetryingRQBackend):
        outbox.add(task, list(args))
    else:
        transaction.on_commit(lambda: task.enqueue(*args), robust=True)

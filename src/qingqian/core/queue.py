"""Queueing background work as part of the change that calls for it."""

from __future__ import annotations

from django.db import transaction
from django_tasks_db import DatabaseBackend


def enqueue_with_change(task, *args) -> None:
    """Queue `task(*args)` to run once the current change has committed.

    On the database queue (production and the embedded default) the task's row
    is written inside the change's own transaction: it exists exactly when the
    change does, so nothing is queued for a rollback and nothing is lost if the
    process stops between the commit and a later enqueue, and no second write
    transaction is spent on it. A queue outside the database (the immediate
    backend) is handed the task after the commit instead.
    """
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args), robust=True)

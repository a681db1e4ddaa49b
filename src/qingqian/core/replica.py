"""Reads that may be served by a PostgreSQL replica: the dashboards and exports.

A national dashboard or a million-row export reads much and writes nothing of
its own, so with QINGQIAN_REPLICA_URL set these reads go to the replica
(streaming replication, a second or so behind) and leave the primary to the
writes. Everything else reads the primary: a person who has just changed a
record must see the change. Without a replica every read goes to the primary.

A view opts in with @reads_from_replica; a streamed download keeps reading the
replica while it is being sent, after the view has returned.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings

REPLICA = "replica"

_reading_replica: ContextVar[bool] = ContextVar("qingqian_reading_replica", default=False)


def configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads():
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def reads_from_replica(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return from_replica(lambda: view(request, *args, **kwargs))

    wrapper.reads_from_replica = True  # kept by the decorators around it (functools.wraps)
    return wrapper


def from_replica(respond):
    """respond()'s response, its reads from the replica, a streamed body's too."""
    with replica_reads():
        response = respond()
    if getattr(response, "streaming", False):
        response.streaming_content = _streamed_from_replica(response.streaming_content)
    return response


def _streamed_from_replica(chunks) -> Iterator[bytes]:
    with replica_reads():
        yield from chunks


class ReplicaRouter:
    """Sends the reads of replica_reads() to the replica, when there is one."""

    def db_for_read(self, model, **hints):
        if _reading_replica.get() and configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows, whichever copy they were read from

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # replication brings the schema

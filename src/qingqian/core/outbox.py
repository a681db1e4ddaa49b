"""The transactional outbox: work a change calls for, kept in the database until
the queue on Redis has it (docs/adr/0012-outbox-and-redis-queue.md).

`add` writes an entry in the change's own transaction and, once it commits,
tries to send it at once. If Redis cannot be reached the entry stays; `relay`
(the scheduler runs it every tick) sends what is left, each entry after a
pause that grows with its failed attempts. Nothing is lost while the database
keeps the entry.

Each entry travels as one generic job, `run_outbox_entry(entry_id)`, named
`outbox-<id>-<when it was written>` in RQ (`job_id`). The job loads the entry,
binds the request id the change was made under (so the task's log lines carry
it) and calls the task by its path. Keeping the arguments in the database
rather than in Redis means a job carries only a number, and lets the entry
record that its task ran.

Twice is possible, never zero times: a relay may die between handing an entry
to Redis and marking it sent (the next relay checks whether Redis holds the job
before sending it again), and a worker killed mid-task leaves the job to be
retried. Every task is idempotent; side effects outside the database (e-mails)
go through `once`, which skips what an earlier run of the same entry did.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import Task
from redis.exceptions import RedisError

from qingqian.core import request_id
from qingqian.core.models import OutboxEffect, OutboxEntry

logger = logging.getLogger(__name__)

BATCH = 200  # entries a relay sends per transaction
MAX_BACKOFF_SECONDS = 300
KEEP_DONE = timedelta(days=7)  # entries whose task ran are deleted after this
# A sent entry not done after this long is looked for in Redis (recover_lost).
LOST_AFTER = timedelta(minutes=1)

_running_entry: ContextVar[int | None] = ContextVar("qingqian_outbox_entry", default=None)


def add(task_to_run: Task, args: list) -> OutboxEntry:
    """Keep `task_to_run(*args)` with the current change; send it after the commit."""
    entry = OutboxEntry.objects.create(
        task_path=task_to_run.module_path, args=list(args), request_id=request_id.current()
    )
    transaction.on_commit(lambda: send_soon(entry.pk), robust=True)
    return entry


def send_soon(entry_id: int) -> None:
    """Send one entry now if nobody else is sending it; on failure leave it for
    the relay (the change that wrote it has committed and must not fail)."""
    with transaction.atomic():
        pending = _pending(timezone.now()).filter(pk=entry_id)
        _send_all(list(pending.select_for_update(skip_locked=True)))


def relay() -> int:
    """Send every pending entry whose pause is over; returns how many went.

    Once one goes, the queue is back: the entries still waiting out their
    pause (which grew while Redis was away) go too, not each at its own time.
    Several relays may run at once: on PostgreSQL each locks the entries it
    sends and skips those another holds; SQLite has one writer at a time.
    """
    sent, queue_answered = 0, False
    while True:
        with transaction.atomic():
            pending = _pending(timezone.now(), waiting_too=queue_answered).order_by("pk")[:BATCH]
            batch = list(pending.select_for_update(skip_locked=True))
            went = _send_all(batch)
        sent += went
        if went and not queue_answered:
            queue_answered = True
            continue
        if went < BATCH:
            return sent


def recover_lost() -> int:
    """Send again the entries that Redis lost: sent, not done, and no longer a
    job there (a Redis restarted without its data drops what was queued). A
    job still queued, running, or failed past its retries exists, and is left.
    Returns how many were given back to the relay."""
    lost = []
    for entry in OutboxEntry.objects.filter(
        sent_at__lt=timezone.now() - LOST_AFTER, done_at=None
    ).order_by("pk")[:BATCH]:
        backend = import_string(entry.task_path).get_backend()
        if not backend.job_exists(job_id(entry)):
            lost.append(entry.pk)
    if lost:
        logger.warning("%d outbox entries lost by the task queue; sending them again", len(lost))
        OutboxEntry.objects.filter(pk__in=lost, done_at=None).update(
            sent_at=None, next_attempt_at=None
        )
    return len(lost)


def _pending(now, *, waiting_too: bool = False):
    due = Q() if waiting_too else Q(next_attempt_at=None) | Q(next_attempt_at__lte=now)
    return OutboxEntry.objects.filter(due, sent_at=None)


def _send_all(entries: list[OutboxEntry]) -> int:
    """Send the entries in order; at the first failure (Redis down) record it on
    this one and the rest and stop, rather than wait on Redis for each."""
    for done, entry in enumerate(entries):
        try:
            _send(entry)
        except RedisError as error:
            _record_failure(entries[done:], error)
            return done
        entry.sent_at = timezone.now()
        entry.save(update_fields=["sent_at"])
    return len(entries)


def _send(entry: OutboxEntry) -> None:
    target = import_string(entry.task_path)
    backend = target.get_backend()
    if backend.job_exists(job_id(entry)):  # sent before, but not marked so
        return
    job = run_outbox_entry.using(
        backend=target.backend, queue_name=target.queue_name, priority=target.priority
    )
    backend.enqueue_as(job, [entry.pk], {}, job_id=job_id(entry))


def job_id(entry: OutboxEntry) -> str:
    """The entry's job in RQ. The time it was written is part of the name:
    RQ keeps a finished job for a while, and an entry numbered like an earlier
    one (the database restored from a backup, its numbers reset) must not be
    taken for one already sent."""
    return f"outbox-{entry.pk}-{entry.created_at.timestamp() * 1_000_000:.0f}"


def _record_failure(entries: list[OutboxEntry], error: Exception) -> None:
    logger.warning(
        "task queue unreachable, %d outbox entries kept for the relay: %s", len(entries), error
    )
    now = timezone.now()
    for entry in entries:
        entry.attempts += 1
        entry.last_error = f"{type(error).__name__}: {error}"[:500]
        entry.next_attempt_at = now + timedelta(seconds=backoff_seconds(entry.attempts))
        entry.save(update_fields=["attempts", "last_error", "next_attempt_at"])


def backoff_seconds(attempts: int) -> int:
    """1, 2, 4, ... seconds after each failed send, at most five minutes."""
    return min(2 ** (attempts - 1), MAX_BACKOFF_SECONDS)


@task()
def run_outbox_entry(entry_id: int):
    """Run the entry's task under the request id of the change that queued it."""
    entry = OutboxEntry.objects.filter(pk=entry_id).first()
    if entry is None or entry.done_at:
        return None  # ran already: the relay sent it twice
    target = import_string(entry.task_path)
    with request_id.bound(entry.request_id or request_id.new_id()), _running(entry.pk):
        result = target.call(*entry.args)
    OutboxEntry.objects.filter(pk=entry_id).update(done_at=timezone.now())
    return result


@contextmanager
def _running(entry_id: int):
    token = _running_entry.set(entry_id)
    try:
        yield
    finally:
        _running_entry.reset(token)


def once(name: str, effect: Callable[[], object]) -> bool:
    """Do `effect` (something outside the database: an e-mail) unless an earlier
    run of the same outbox entry did it; returns whether it was done now.

    The mark is written after the effect: a worker killed between the two
    repeats the effect (at least once, never lost). Outside an outbox entry
    (the database queue, a direct call) the effect is simply done.
    """
    entry_id = _running_entry.get()
    if entry_id is None:
        effect()
        return True
    if OutboxEffect.objects.filter(entry_id=entry_id, name=name).exists():
        return False
    effect()
    try:
        with transaction.atomic():
            OutboxEffect.objects.create(entry_id=entry_id, name=name)
    except IntegrityError:
        pass  # a concurrent run of the same entry marked it first
    return True


def prune() -> int:
    """Delete entries whose task ran more than a week ago; returns how many."""
    _total, by_model = OutboxEntry.objects.filter(done_at__lt=timezone.now() - KEEP_DONE).delete()
    return by_model.get(OutboxEntry._meta.label, 0)

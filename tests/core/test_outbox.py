"""The outbox and the queue on Redis (the real Redis on 127.0.0.1:6379)."""

import logging
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from qingqian.accounts.tasks import send_password_reset_task
from qingqian.core import outbox, request_id
from qingqian.core.models import OutboxEntry
from qingqian.core.queue import enqueue_with_change
from qingqian.core.rq_backend import RETRIES

RAN: list[tuple[str, str]] = []  # (word, request id it ran under)
REDIS_DOWN = "redis://127.0.0.1:1/0?socket_connect_timeout=1"


@task()
def remember(word: str) -> str:
    RAN.append((word, request_id.current()))
    logging.getLogger(__name__).info("remembered %s", word)
    return word


@pytest.fixture(autouse=True)
def forget():
    RAN.clear()


def rq_queue():
    import django_rq

    return django_rq.get_queue("default")


@pytest.mark.django_db(transaction=True)
def test_a_change_writes_an_entry_that_is_sent_when_it_commits(redis_queue, run_worker):
    with request_id.bound("req-0123456789"), transaction.atomic():
        enqueue_with_change(remember, "kept")
        entry = OutboxEntry.objects.get()
        assert rq_queue().count == 0  # not while the change may still be refused
    entry.refresh_from_db()
    assert entry.sent_at is not None and entry.attempts == 0
    assert rq_queue().job_ids == [outbox.job_id(entry)]
    run_worker()
    assert RAN == [("kept", "req-0123456789")]  # under the id of the request
    entry.refresh_from_db()
    assert entry.done_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_entry_and_no_job(redis_queue):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        enqueue_with_change(remember, "lost")
        1 / 0  # noqa: B018 - the change is refused
    assert not OutboxEntry.objects.exists()
    assert rq_queue().count == 0


@pytest.mark.django_db(transaction=True)
def test_redis_down_keeps_the_entry_until_a_relay_sends_it(redis_queue, settings, run_worker):
    reachable = settings.RQ_QUEUES
    settings.RQ_QUEUES = {"default": {**reachable["default"], "URL": REDIS_DOWN}}
    with transaction.atomic():
        enqueue_with_change(remember, "delayed")
    entry = OutboxEntry.objects.get()  # the change committed; its work is kept
    assert (entry.sent_at, entry.attempts) == (None, 1)
    assert "ConnectionError" in entry.last_error
    assert outbox.relay() == 0  # Redis still down, and the pause not over anyway

    settings.RQ_QUEUES = reachable
    assert outbox.relay() == 0  # 1 s after the first failure, not before
    OutboxEntry.objects.update(next_attempt_at=timezone.now())  # the pause is over
    assert outbox.relay() == 1
    run_worker()
    ((word, its_request_id),) = RAN
    assert word == "delayed" and its_request_id  # no request queued it: an id of its own
    assert OutboxEntry.objects.get().done_at is not None


@pytest.mark.django_db(transaction=True)
def test_once_the_queue_answers_the_entries_waiting_out_a_pause_go_too(redis_queue):
    """After a long outage the pauses have grown to minutes: the first entry
    that goes shows Redis is back, and the rest need not wait out theirs."""
    later = timezone.now() + timezone.timedelta(minutes=4)
    waiting = [
        OutboxEntry.objects.create(
            task_path=remember.module_path, args=[str(n)], attempts=8, next_attempt_at=later
        )
        for n in range(3)
    ]
    assert outbox.relay() == 0  # none due, nothing shows the queue is back
    OutboxEntry.objects.filter(pk=waiting[0].pk).update(next_attempt_at=timezone.now())
    assert outbox.relay() == 3
    assert sorted(rq_queue().job_ids) == sorted(outbox.job_id(entry) for entry in waiting)


@pytest.mark.django_db(transaction=True)
def test_an_entry_that_redis_lost_is_sent_again(redis_queue, run_worker):
    """Redis restarted without its data: the jobs it held are gone, the
    outbox still has them."""
    long_ago = timezone.now() - timezone.timedelta(minutes=5)
    lost = OutboxEntry.objects.create(task_path=remember.module_path, args=["lost"])
    OutboxEntry.objects.filter(pk=lost.pk).update(sent_at=long_ago)
    waiting = OutboxEntry.objects.create(task_path=remember.module_path, args=["queued"])
    outbox._send(waiting)
    OutboxEntry.objects.filter(pk=waiting.pk).update(sent_at=long_ago)
    assert outbox.recover_lost() == 1  # the one Redis still holds is left
    assert outbox.relay() == 1
    run_worker()
    assert sorted(word for word, _id in RAN) == ["lost", "queued"]


def test_the_pause_between_sends_grows_to_five_minutes():
    assert [outbox.backoff_seconds(n) for n in (1, 2, 3, 4, 9, 10, 20)] == [
        1,
        2,
        4,
        8,
        256,
        300,
        300,
    ]


@pytest.mark.django_db(transaction=True)
def test_an_entry_sent_but_not_marked_is_not_sent_again(redis_queue):
    """A relay that died between handing the entry to Redis and marking it sent."""
    entry = OutboxEntry.objects.create(task_path=remember.module_path, args=["once"])
    outbox._send(entry)
    assert outbox.relay() == 1  # marked sent ...
    assert rq_queue().job_ids == [outbox.job_id(entry)]  # ... without a second job


@pytest.mark.django_db(transaction=True)
def test_an_entry_numbered_like_one_that_ran_is_still_sent(redis_queue, run_worker):
    """RQ keeps a finished job for a while; the database restored from a backup
    (or emptied) numbers its entries from where it was again."""
    with transaction.atomic():
        enqueue_with_change(remember, "before the restore")
    run_worker()
    number = OutboxEntry.objects.get().pk
    OutboxEntry.objects.all().delete()
    OutboxEntry.objects.create(pk=number, task_path=remember.module_path, args=["after"])
    assert outbox.relay() == 1
    run_worker()
    assert [word for word, _id in RAN] == ["before the restore", "after"]


@pytest.mark.django_db(transaction=True)
def test_a_second_run_of_an_entry_does_nothing(redis_queue):
    entry = OutboxEntry.objects.create(task_path=remember.module_path, args=["one"])
    assert outbox.run_outbox_entry.call(entry.pk) == "one"
    assert outbox.run_outbox_entry.call(entry.pk) is None
    assert [word for word, _id in RAN] == ["one"]


@pytest.mark.django_db(transaction=True)
def test_a_run_killed_after_its_mail_does_not_send_it_again(
    redis_queue, seeded_live_db, user, mailoutbox
):
    """The worker died after the mail went and before the entry was marked
    done: the retry's run finds the mail's mark."""
    reset = OutboxEntry.objects.create(
        task_path=send_password_reset_task.module_path, args=[user("gd-intake").pk]
    )
    user_with_mail = user("gd-intake")
    user_with_mail.email = "gd-intake@example.cn"
    user_with_mail.save()
    assert outbox.run_outbox_entry.call(reset.pk) is True
    OutboxEntry.objects.filter(pk=reset.pk).update(done_at=None)  # as if killed before this
    assert outbox.run_outbox_entry.call(reset.pk) is True
    assert [m.to for m in mailoutbox] == [["gd-intake@example.cn"]]


@pytest.mark.django_db(transaction=True)
def test_jobs_are_retried(redis_queue):
    with transaction.atomic():
        enqueue_with_change(remember, "retried")
    (job_id,) = rq_queue().job_ids
    assert rq_queue().fetch_job(job_id).retries_left == RETRIES == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
def test_a_relay_skips_the_entries_another_relay_holds(redis_queue):
    entry = OutboxEntry.objects.create(task_path=remember.module_path, args=["held"])
    holding, release = threading.Event(), threading.Event()

    def other_relay():
        try:
            with transaction.atomic():
                OutboxEntry.objects.select_for_update().get(pk=entry.pk)
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    other = threading.Thread(target=other_relay)
    other.start()
    try:
        assert holding.wait(10)
        assert outbox.relay() == 0  # skipped, not waited for
    finally:
        release.set()
        other.join()
    assert outbox.relay() == 1
    assert rq_queue().count == 1

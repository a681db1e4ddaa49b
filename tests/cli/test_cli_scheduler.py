"""`qingqian scheduler`: periodic jobs once per period, however many schedulers."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime

import pytest
from django.db import connection

from qingqian.cli import main as cli
from qingqian.cli.scheduler import periodic_tasks, queue_periodic_jobs
from qingqian.core.models import PeriodicRun
from qingqian.core.periodic import period_of
from qingqian.core.rq_backend import RETRIES, sweep_abandoned
from tests.taskqueue import queued_calls

JOBS = [
    "deadline-reminders",
    "missed-instalments",
    "case-reminders",
    "ledger-snapshot",
    "reports",
    "publication-daily",
    "legal-aid-daily",
    "audit-checkpoint",
]
NOON = datetime(2026, 10, 22, 12, 0, 30, tzinfo=UTC)


def test_a_period_starts_at_a_multiple_of_its_length_from_the_epoch():
    assert period_of(NOON, 3600) == "2026-10-22T12:00:00+00:00"
    assert period_of(datetime(2026, 10, 22, 12, 59, 59, tzinfo=UTC), 3600) == (
        "2026-10-22T12:00:00+00:00"
    )
    assert period_of(NOON, 86400) == "2026-10-22T00:00:00+00:00"


@pytest.mark.django_db
def test_two_schedulers_in_one_period_queue_each_job_once():
    assert queue_periodic_jobs(NOON, 3600) == JOBS
    assert queue_periodic_jobs(NOON.replace(minute=59), 3600) == []  # the other scheduler
    paths = [path for path, _args in queued_calls()]
    for _name, task in periodic_tasks():
        assert paths.count(task.module_path) == 1
    assert paths.count("qingqian.core.tasks.audit_checkpoint_task") == 1
    assert queue_periodic_jobs(NOON.replace(hour=13), 3600) == JOBS  # the next period


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
def test_schedulers_ticking_at_once_queue_each_job_once():
    queued: list[list[str]] = []
    start = threading.Barrier(4)

    def scheduler():
        try:
            start.wait()
            queued.append(queue_periodic_jobs(NOON, 3600))
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(name for names in queued for name in names) == sorted(JOBS)
    assert PeriodicRun.objects.count() == len(JOBS)


@pytest.mark.django_db(transaction=True)
def test_one_tick_queues_the_jobs_and_the_worker_runs_them(
    seeded_live_db, run_worker, settings, tmp_path, capsys
):
    settings.QINGQIAN_AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    assert cli(["scheduler", "--once", "--json"]) == 0
    assert '"queued": [' in capsys.readouterr().out
    assert PeriodicRun.objects.count() == len(JOBS)
    run_worker()
    assert len((tmp_path / "checkpoints.jsonl").read_text().splitlines()) == 1
    assert cli(["scheduler", "--once"]) == 0  # same period: nothing more
    run_worker()
    assert len((tmp_path / "checkpoints.jsonl").read_text().splitlines()) == 1


def test_a_worker_killed_mid_task_leaves_its_job_to_be_retried(redis_queue, tmp_path):
    """A real RQ worker process, killed with SIGKILL while it runs a job: once
    its heartbeat has lapsed (90 s; the sweep is told the time is past it),
    the sweep schedules the job again."""
    import django_rq

    from qingqian.core.rq_backend import RetryingRQBackend
    from tests.core.slow_tasks import nap

    backend = RetryingRQBackend("default", {})
    result = nap.enqueue(60)
    queue = django_rq.get_queue("default")
    env = {
        **os.environ,
        "QINGQIAN_QUEUE_URL": django_rq_url(queue),
        "QINGQIAN_VAR_DIR": str(tmp_path),
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from qingqian.cli import main; sys.exit(main())",
            "worker",
        ],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while queue.started_job_registry.count == 0:
            assert time.monotonic() < deadline, "the worker never started the job"
            time.sleep(0.2)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and its work horse
        worker.wait()
    job = queue.fetch_job(result.id)
    assert job.get_status() == "started"  # nobody knows yet
    sweep_abandoned(backend, at=time.time() + 91)
    job = queue.fetch_job(result.id)
    assert job.get_status() == "scheduled"
    assert job.retries_left == RETRIES - 1
    assert result.id in queue.scheduled_job_registry.get_job_ids()


def django_rq_url(queue) -> str:
    kwargs = queue.connection.connection_pool.connection_kwargs
    return f"redis://{kwargs['host']}:{kwargs['port']}/{kwargs['db']}"


def test_a_worker_waits_for_redis_rather_than_exit(tmp_path):
    """Redis away when the worker starts (or goes away under it): the worker
    stays up and tries again, so that it is back with Redis without a restart."""
    env = {
        **os.environ,
        "QINGQIAN_QUEUE_URL": "redis://127.0.0.1:1/0",  # nothing listens there
        "QINGQIAN_VAR_DIR": str(tmp_path),
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", "import sys; from qingqian.cli import main; sys.exit(main())"]
        + ["worker"],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            worker.wait(timeout=12)  # long enough to fail once and try again
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        _out, errors = worker.communicate()
    assert errors.count("task queue unreachable; the worker starts again in 5 s") >= 2


def test_the_sweep_puts_a_retry_whose_pause_is_over_on_the_queue(redis_queue):
    """A killed worker's RQ scheduler lock outlives it by minutes: the sweep,
    not only a worker's scheduler, moves a due retry onto the queue."""
    from datetime import timedelta

    import django_rq

    from qingqian.core.rq_backend import RetryingRQBackend
    from tests.core.slow_tasks import nap

    queue = django_rq.get_queue("default")
    result = nap.enqueue(0)
    job = queue.fetch_job(result.id)
    queue.remove(job)
    queue.schedule_job(job, datetime.now(UTC) - timedelta(seconds=1))  # a retry now due
    assert queue.count == 0
    sweep_abandoned(RetryingRQBackend("default", {}))
    assert queue.job_ids == [result.id]
    assert result.id not in queue.scheduled_job_registry.get_job_ids()

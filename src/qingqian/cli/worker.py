"""Background work: `qingqian worker` runs queued tasks; `qingqian reminders` runs
the deadline reminder and missed-instalment jobs once (for cron).

Tasks are django-tasks. On the database backend (the embedded default) the
web processes enqueue rows in the same database, and any number of
`qingqian worker` processes claim and run them; the worker also enqueues the
periodic jobs every QINGQIAN_REMINDER_INTERVAL_SECONDS (re-running them never
sends twice). `start_inprocess_worker` runs the same loop in threads of the
demo server. On SQLite all of them wait QINGQIAN_SQLITE_BACKGROUND_BUSY_SECONDS
for the database's writer (behind a long import), where a web request gives up
after QINGQIAN_SQLITE_BUSY_SECONDS.

With QINGQIAN_QUEUE_URL (production) `qingqian worker` is an RQ worker on the
queue in Redis, and has no timer: `qingqian scheduler` queues the periodic
jobs once per period, relays the outbox and retries the jobs of dead workers.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import date

from qingqian.cli.base import fail, print_json, setup_django
from qingqian.cli.scheduler import periodic_tasks

logger = logging.getLogger(__name__)


def register(subparsers) -> None:
    worker = subparsers.add_parser("worker", help="run background tasks (reminders, e-mail)")
    worker.add_argument("--queue", default="default", help="queue names, comma-separated")
    worker.add_argument(
        "--interval", type=float, default=1.0, help="seconds between polls when idle"
    )
    worker.add_argument("--batch", action="store_true", help="run what is queued, then exit")
    worker.add_argument(
        "--reminders-every",
        type=int,
        default=None,
        metavar="SECONDS",
        help="enqueue the reminder job this often (default QINGQIAN_REMINDER_INTERVAL_SECONDS; "
        "0: never, when cron runs `qingqian reminders`)",
    )
    worker.set_defaults(handler=run_worker)

    reminders = subparsers.add_parser(
        "reminders",
        help="send due deadline reminders, breach notices and missed-instalment alerts once",
    )
    reminders.add_argument("--on", help="as of this date (YYYY-MM-DD; default today)")
    reminders.add_argument(
        "--enqueue", action="store_true", help="queue the job for a worker instead"
    )
    reminders.add_argument("--json", action="store_true")
    reminders.set_defaults(handler=run_reminders)


def run_worker(args) -> int:
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from qingqian.core.sqlite_backend.busy import waiting_longer

    if uses_redis_queue():
        return _run_rq_worker(args)
    if not uses_database_backend():
        return fail("QINGQIAN_TASKS_BACKEND is not the database backend: tasks need no worker")
    every = args.reminders_every
    if every is None:
        every = settings.QINGQIAN_REMINDER_INTERVAL_SECONDS
    if every > 0 and not args.batch:
        _start_thread(_enqueue_reminders_forever, every, name="qingqian-reminders")
    options = ["--queue-name", args.queue, "--interval", str(args.interval), "--no-reload"]
    with waiting_longer():
        call_command("db_worker", *options, *(["--batch"] if args.batch else []))
    return 0


def _run_rq_worker(args) -> int:
    """An RQ worker on the queues named; `--batch` runs what is queued (and due
    for a retry) in this process, then exits."""
    import django_rq
    from django_tasks_rq.backend import Job
    from redis.exceptions import ConnectionError as RedisConnectionError

    worker_class = _worker_class(batch=args.batch)
    names = [name.strip() for name in args.queue.split(",") if name.strip()]
    _load_before_forking()
    while True:
        try:
            worker = django_rq.get_worker(*names, job_class=Job, worker_class=worker_class)
            worker.work(burst=args.batch, with_scheduler=True, logging_level=None)
            return 0
        except RedisConnectionError:
            if args.batch:
                raise
            # Redis away: wait for it rather than exit, so that the worker is
            # back with Redis whether or not a supervisor restarts it. The job
            # it was running, if any, is retried (the scheduler's sweep).
            logger.warning("task queue unreachable; the worker starts again in 5 s")
            time.sleep(5)


def _load_before_forking() -> None:
    """Load what every task needs once, in the parent: each job runs in a fresh
    fork, which would otherwise import the URLconf (and with it every view),
    the task modules and the catalogs again, about 0.7 s a job."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and the views
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Submitted")


def _worker_class(*, batch: bool):
    """`--batch` runs the jobs in this process (SimpleWorker); the service forks
    a work horse per job, which must not share the parent's database
    connections, so they are closed before each fork."""
    from django.db import connections
    from rq import SimpleWorker, Worker

    class PromptStop:
        """RQ stops its command listener (a pubsub thread polling every 60 s)
        with redis-py's `stop()`, which since redis-py 8 waits for the thread:
        once unsubscribed, the thread can sleep out the whole minute, and
        every stop of a worker took up to 60 s. The thread is a daemon that
        closes its own connection when it wakes: wait a second at most."""

        def unsubscribe(self):
            if self.pubsub_thread:
                self.pubsub.unsubscribe()
                self.pubsub_thread.stop(timeout=1)

    class BatchWorker(PromptStop, SimpleWorker):
        pass

    class ClosingWorker(PromptStop, Worker):
        def fork_work_horse(self, job, queue):
            connections.close_all()
            return super().fork_work_horse(job, queue)

    return BatchWorker if batch else ClosingWorker


def run_reminders(args) -> int:
    try:
        on = date.fromisoformat(args.on) if args.on else None
    except ValueError:
        return fail(f"--on {args.on!r} is not a date like 2026-10-09", 2)
    setup_django()
    from qingqian.core.sqlite_backend.busy import waiting_longer

    with waiting_longer():
        return _reminders(args, on)


def _reminders(args, on: date | None) -> int:
    from qingqian.complaints.tasks import send_deadline_reminders
    from qingqian.ledger.tasks import send_missed_instalment_alerts
    from qingqian.publication.tasks import publication_daily
    from qingqian.services.legalaid.tasks import legal_aid_daily
    from qingqian.supervision.cases.tasks import send_case_reminders
    from qingqian.supervision.dashboard.snapshots import ledger_snapshot_take
    from qingqian.supervision.reports.tasks import generate_due_reports, remind_late_reports

    if args.enqueue:
        day = on.isoformat() if on else None
        results = [task.enqueue(day) for _name, task in periodic_tasks()]
        print(f"reminder jobs queued (deadline reminders as task {results[0].id})")
        return 0
    report = send_deadline_reminders(on=on)
    supervision = {
        "instalment_alerts": send_missed_instalment_alerts(on=on),
        "case_reminders": send_case_reminders(on),
        "reports_generated": generate_due_reports(on),
        "late_report_reminders": remind_late_reports(on),
        "ledger_snapshot_rows": ledger_snapshot_take(on),
        **publication_daily(on),
        **legal_aid_daily(on),
    }
    if args.json:
        print_json({**report.as_dict(), **supervision})
    else:
        print(
            f"{report.on}: {report.notifications} notifications "
            f"({report.due_soon} deadlines due soon, {report.breached} breached); "
            f"{supervision['instalment_alerts']} missed-instalment alerts; "
            f"{supervision['case_reminders']} supervision-case reminders; "
            f"{supervision['reports_generated']} reports generated, "
            f"{supervision['late_report_reminders']} late-report reminders; "
            f"ledger snapshot of {supervision['ledger_snapshot_rows']} regions; "
            f"{supervision['listings_expired']} listings removed at the end of their period, "
            f"{supervision['referral_reminders']} overdue-referral reminders, "
            f"{supervision['disclosure_reminders']} disclosure reminders; "
            f"{supervision['legal_aid_reminders']} legal aid reminders, "
            f"{supervision['legal_aid_overdue']} legal aid requests flagged overdue"
        )
    return 0


# --- in-process worker (the demo) ---------------------------------------------------


def start_inprocess_worker(*, reminders_every: int | None = None) -> None:
    """Run the database worker loop and the reminder timer in daemon threads.

    For the one-process demo: tasks enqueued by the web server are run within
    a second or so, by this same process; nothing else need be started.
    """
    from django.conf import settings

    every = reminders_every
    if every is None:
        every = settings.QINGQIAN_REMINDER_INTERVAL_SECONDS
    if uses_database_backend():
        _start_thread(_work_forever, name="qingqian-worker")
    if every > 0:
        _start_thread(_enqueue_reminders_forever, every, name="qingqian-reminders")


def uses_redis_queue() -> bool:
    from django_tasks import task_backends

    from qingqian.core.rq_backend import RetryingRQBackend

    return isinstance(task_backends["default"], RetryingRQBackend)


def uses_database_backend() -> bool:
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)


def _start_thread(target, *args, name: str) -> threading.Thread:
    thread = threading.Thread(target=target, args=args, name=name, daemon=True)
    thread.start()
    return thread


def _work_forever() -> None:
    from qingqian.core.sqlite_backend.busy import waiting_longer

    with waiting_longer():
        _run_workers_forever()


def _run_workers_forever() -> None:
    from django.utils.crypto import get_random_string
    from django_tasks_db.management.commands.db_worker import Worker

    while True:
        worker = Worker(
            queue_names=["*"],
            interval=1.0,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"inprocess-{get_random_string(12)}",
            excluded_queue_names=[],
        )
        try:
            worker.run()
        except Exception:  # noqa: BLE001 - keep the demo's worker alive; the log says why
            logger.exception("in-process task worker stopped; restarting in 5 s")
            time.sleep(5)


def _enqueue_reminders_forever(every: int) -> None:
    from qingqian.core.sqlite_backend.busy import waiting_longer

    with waiting_longer():
        _enqueue_forever(every)


def _enqueue_forever(every: int) -> None:
    from django.db import close_old_connections

    while True:
        try:
            for _name, task in periodic_tasks():
                task.enqueue()
        except Exception:  # noqa: BLE001 - try again at the next tick
            logger.exception("could not enqueue the reminder job")
        finally:
            close_old_connections()
        time.sleep(every)

"""`qingqian scheduler`: the periodic jobs once per period, the outbox relay and
the sweep for abandoned jobs, for the queue on Redis (QINGQIAN_QUEUE_URL).

Run one or more per installation (one per machine is fine): each tick (every
5 s, `--tick`),

1. claims each periodic job for the current period (qingqian.core.periodic) and
   queues it if the claim is its own: reminders, instalments, supervision-case
   reminders, the ledger snapshot, reports, the publication and legal aid daily
   work, and an audit checkpoint, every QINGQIAN_REMINDER_INTERVAL_SECONDS;
2. relays the outbox entries that could not be sent when their change committed;
3. hands back to the queue the jobs of workers that died (RQ's abandoned jobs),
   and forgets outbox entries and claims long done.

On the database queue the jobs are still claimed once per period, nothing
needs relaying, and `qingqian worker`'s own timer may do step 1 instead.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from qingqian.cli.base import print_json, setup_django

logger = logging.getLogger(__name__)

TICK_SECONDS = 5
KEEP_CLAIMS = timedelta(days=30)


def register(subparsers) -> None:
    scheduler = subparsers.add_parser(
        "scheduler",
        help="queue the periodic jobs once per period, relay the outbox, retry abandoned tasks",
    )
    scheduler.add_argument("--once", action="store_true", help="one tick, then exit")
    scheduler.add_argument(
        "--tick", type=float, default=TICK_SECONDS, metavar="SECONDS", help="seconds between ticks"
    )
    scheduler.add_argument("--json", action="store_true", help="print each tick's report")
    scheduler.set_defaults(handler=run_scheduler)


def run_scheduler(args) -> int:
    setup_django()
    from django.db import close_old_connections

    while True:
        try:
            report = tick()
            if args.json:
                print_json(report)
        except Exception:  # noqa: BLE001 - the database or Redis is down: try at the next tick
            if args.once:
                raise
            logger.exception("scheduler tick failed; trying again in %s s", args.tick)
        finally:
            close_old_connections()
        if args.once:
            return 0
        time.sleep(args.tick)


def periodic_tasks() -> list[tuple[str, object]]:
    """(job name, task) of every periodic job; each takes the day as its one
    optional argument, but the audit checkpoint, which takes none."""
    from qingqian.complaints.tasks import send_deadline_reminders_task
    from qingqian.ledger.tasks import missed_instalments_task
    from qingqian.publication.tasks import publication_daily_task
    from qingqian.services.legalaid.tasks import legal_aid_daily_task
    from qingqian.supervision.cases.tasks import case_reminders_task
    from qingqian.supervision.dashboard.snapshots import ledger_snapshot_task
    from qingqian.supervision.reports.tasks import reports_task

    return [
        ("deadline-reminders", send_deadline_reminders_task),
        ("missed-instalments", missed_instalments_task),
        ("case-reminders", case_reminders_task),
        ("ledger-snapshot", ledger_snapshot_task),
        ("reports", reports_task),
        ("publication-daily", publication_daily_task),
        ("legal-aid-daily", legal_aid_daily_task),
    ]


def tick() -> dict:
    from django.conf import settings
    from django.utils import timezone

    from qingqian.core import outbox
    from qingqian.core.periodic import prune_claims

    now = timezone.now()
    every = settings.QINGQIAN_REMINDER_INTERVAL_SECONDS
    report = {"queued": queue_periodic_jobs(now, every) if every > 0 else []}
    report["lost_recovered"] = outbox.recover_lost()
    report["relayed"] = outbox.relay()
    report["abandoned_swept"] = sweep_abandoned_jobs()
    report["outbox_pruned"] = outbox.prune()
    report["claims_pruned"] = prune_claims(now - KEEP_CLAIMS)
    return report


def queue_periodic_jobs(now, every: int) -> list[str]:
    """Claim and queue each periodic job for the period `now` falls in; returns
    the names of those this scheduler queued."""
    from qingqian.core.periodic import period_of, run_once_per_period
    from qingqian.core.tasks import audit_checkpoint_task

    period = period_of(now, every)
    queued = [
        name for name, task in periodic_tasks() if run_once_per_period(name, period, task, None)
    ]
    if run_once_per_period("audit-checkpoint", period, audit_checkpoint_task):
        queued.append("audit-checkpoint")
    return queued


def sweep_abandoned_jobs() -> bool:
    """RQ's cleanup of each queue's started jobs; False on the database queue."""
    from django_tasks import task_backends

    from qingqian.core.rq_backend import RetryingRQBackend, sweep_abandoned

    backend = task_backends["default"]
    if not isinstance(backend, RetryingRQBackend):
        return False
    sweep_abandoned(backend)
    return True

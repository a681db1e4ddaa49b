"""Month-end snapshots of the ledger per province and city, from `LedgerTotal`.

The job runs with the daily reminders: the current month's row always holds
the figures of the last run, and once a month is over its row stays as its
month-end figure. Trends and the "not falling" rule read them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from qingqian.core import audit, figures_version
from qingqian.ledger.figures import LedgerFigures
from qingqian.ledger.models import LedgerTotal
from qingqian.supervision import verbs
from qingqian.supervision.dashboard.tallies import grain_codes
from qingqian.supervision.models import LedgerSnapshot

FIELDS = (
    "identified_fen",
    "cleared_fen",
    "outstanding_fen",
    "undisputed_outstanding_fen",
    "legal_route_fen",
    "items",
)


def _contribution(total: LedgerTotal) -> tuple[int, ...]:
    figures = LedgerFigures.of_row(total).as_dict()
    return tuple(figures[name] for name in FIELDS)


@transaction.atomic
def ledger_snapshot_take(on: date | None = None, *, actor=None) -> int:
    """Write (or overwrite) this month's snapshot rows; returns how many. By the
    system (the daily job, the CLI) unless an actor is given."""
    month = (on or timezone.localdate()).replace(day=1)
    sums: dict = defaultdict(lambda: [0] * len(FIELDS))
    for total in LedgerTotal.objects.iterator():
        values = _contribution(total)
        for grain, code in grain_codes(total.region_code).items():
            row = sums[(grain, code)]
            for index, value in enumerate(values):
                row[index] += value
    LedgerSnapshot.objects.filter(month=month).delete()
    LedgerSnapshot.objects.bulk_create(
        LedgerSnapshot(
            month=month, grain=grain, region_code=code, **dict(zip(FIELDS, row, strict=True))
        )
        for (grain, code), row in sums.items()
    )
    figures_version.bump()  # the public statistics show the months' ledger figures
    audit.record(
        actor=actor,
        verb=verbs.LEDGER_SNAPSHOT_TAKEN,
        target=(LedgerSnapshot._meta.label_lower, month.isoformat()),
        payload={"rows": len(sums)},
    )
    return len(sums)


@task()
def ledger_snapshot_task(day: str | None = None) -> int:
    return ledger_snapshot_take(date.fromisoformat(day) if day else None)

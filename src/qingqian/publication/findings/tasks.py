"""The daily job of findings (run with the reminders): listings whose period
has ended are removed."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from qingqian.publication.findings.services import findings_expire


@task()
def findings_expire_task(on: str | None = None) -> int:
    return findings_expire(on=date.fromisoformat(on) if on else None)

"""The daily work of legal aid, run with the other reminders (`qingqian reminders`
and the worker's timer)."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from qingqian.services.legalaid.sweep import aid_requests_sweep


def legal_aid_daily(on: date | None = None) -> dict:
    report = aid_requests_sweep(on=on)
    return {"legal_aid_reminders": report.reminders, "legal_aid_overdue": report.flagged}


@task()
def legal_aid_daily_task(on: str | None = None) -> dict:
    return legal_aid_daily(date.fromisoformat(on) if on else None)

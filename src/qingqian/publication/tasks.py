"""The publication app's daily work (run with the reminders): listings whose
period has ended are removed; referrers are told of overdue answers; bodies are
reminded of their disclosures."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from qingqian.publication.disclosures.tasks import send_disclosure_reminders
from qingqian.publication.findings.services import findings_expire
from qingqian.publication.referrals.services import referral_reminders
from qingqian.services.confirmations.services import confirmation_requests_sweep


def publication_daily(on: date | None = None) -> dict:
    return {
        "listings_expired": findings_expire(on=on),
        "referral_reminders": referral_reminders(on),
        "disclosure_reminders": send_disclosure_reminders(on),
        **confirmation_requests_sweep(on=on),
    }


@task()
def publication_daily_task(on: str | None = None) -> dict:
    return publication_daily(date.fromisoformat(on) if on else None)

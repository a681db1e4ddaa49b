"""Who hears about a complaint event: in-app inbox (and e-mail) after commit."""

from __future__ import annotations

from django.db import transaction

from qingqian.complaints.models import ComplaintEvent


def notify_on_commit(event: ComplaintEvent) -> None:
    transaction.on_commit(lambda: deliver_event_notifications(event.pk))


def deliver_event_notifications(event_id: int) -> int:
    """Placeholder until the notification rules land: delivers nothing."""
    return 0

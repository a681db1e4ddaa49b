"""Who is told, once committed: the SME user promoted from the waiting list, and
everyone registered for an event that is cancelled or moved. Inbox (and e-mail) through
qingqian.notifications, in the platform's language."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qingqian.notifications.services import notify
from qingqian.services.models import TrainingEvent, TrainingRegistration


def seat_given(registration: TrainingRegistration) -> None:
    event, user = registration.event, registration.user
    key = f"training:{registration.pk}:promoted"
    url = reverse("training:home")

    def send():
        with translation.override(settings.LANGUAGE_CODE):
            body = _(
                "A seat became free: you are now registered for “%(title)s” on %(starts)s."
            ) % {"title": event.title, "starts": _local(event.starts_at)}
            notify(recipient=user, dedup_key=key, subject=body[:200], body=body, url=url)

    transaction.on_commit(send, robust=True)


def event_cancelled(event: TrainingEvent, users: list) -> None:
    key = f"training-event:{event.pk}:cancelled"
    url = reverse("training_public:detail", args=[event.pk])

    def send():
        with translation.override(settings.LANGUAGE_CODE):
            body = _("The training event “%(title)s” on %(starts)s is cancelled: %(note)s") % {
                "title": event.title,
                "starts": _local(event.starts_at),
                "note": event.cancellation_note,
            }
            for user in users:
                if user.is_active:
                    notify(recipient=user, dedup_key=key, subject=body[:200], body=body, url=url)

    transaction.on_commit(send, robust=True)


def event_moved(event: TrainingEvent, users: list) -> None:
    """A new time or place; the key carries them, so each move is told once."""
    where = event.place or event.online_url
    place_digest = hashlib.sha256(where.encode()).hexdigest()[:12]
    key = f"training-event:{event.pk}:moved:{event.starts_at:%Y%m%d%H%M}:{place_digest}"
    url = reverse("training_public:detail", args=[event.pk])

    def send():
        with translation.override(settings.LANGUAGE_CODE):
            body = _(
                "The training event “%(title)s” has changed: now %(starts)s to %(ends)s, %(where)s."
            ) % {
                "title": event.title,
                "starts": _local(event.starts_at),
                "ends": _local(event.ends_at),
                "where": where,
            }
            for user in users:
                if user.is_active:
                    notify(recipient=user, dedup_key=key, subject=body[:200], body=body, url=url)

    transaction.on_commit(send, robust=True)


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")

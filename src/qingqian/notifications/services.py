"""Audited writes of notifications: the in-app inbox and its e-mail copy."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.core import audit
from qingqian.notifications import verbs
from qingqian.notifications.models import Notification

logger = logging.getLogger(__name__)


@transaction.atomic
def notify(*, recipient, dedup_key: str, subject: str, body: str, url: str) -> Notification | None:
    """Put one message in a person's inbox, and e-mail it if they have an address.

    At most once per (recipient, dedup_key): a second call, or a concurrent
    one, returns None and sends nothing, so jobs can be re-run safely. The
    e-mail goes after commit, with an absolute link to `url`; a failing mail
    server leaves the inbox message in place with `emailed` False.
    """
    if Notification.objects.filter(recipient=recipient, dedup_key=dedup_key).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                dedup_key=dedup_key[:120],
                subject=subject[:200],
                body=body,
                url=url,
            )
    except IntegrityError:
        return None  # another run delivered it in the meantime
    audit.record(
        actor=None,
        verb=verbs.NOTIFICATION_SEND,
        target=notification,
        payload={"recipient": recipient.pk, "dedup_key": notification.dedup_key},
    )
    if recipient.email:
        transaction.on_commit(lambda: _send_email(notification), robust=True)
    return notification


def absolute_url(url: str) -> str:
    if not url or "://" in url:
        return url
    return f"{settings.QINGQIAN_BASE_URL}{url}"


def _send_email(notification: Notification) -> None:
    """The e-mail copy (side effect after commit); only its delivery flag is written."""
    link = absolute_url(notification.url)
    body = f"{notification.body}\n\n{link}\n" if link else notification.body
    try:
        send_mail(
            notification.subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.recipient.email],
        )
    except Exception:  # noqa: BLE001 - the inbox copy stays; the operator sees the log
        logger.exception("e-mail for notification %s failed", notification.pk)
        return
    Notification.objects.filter(pk=notification.pk).update(emailed=True)


@transaction.atomic
def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """The recipient marks a message read (once; a second call changes nothing)."""
    if actor is None or notification.recipient_id != actor.pk:
        raise PermissionDenied(_("This message is not yours."))
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if notification.read_at is not None:
        return notification
    notification.read_at = timezone.now()
    notification.save(update_fields=["read_at"])
    audit.record(actor=actor, verb=verbs.NOTIFICATION_MARK_READ, target=notification, payload={})
    return notification

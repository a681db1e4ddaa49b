"""Reads of the inbox: a person sees their own messages only."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from qingqian.notifications.models import Notification


def notification_list(*, actor, unread_only: bool = False) -> QuerySet[Notification]:
    if actor is None or not actor.is_authenticated:
        return Notification.objects.none()
    notifications = Notification.objects.filter(recipient=actor)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-pk")


def notification_get(*, actor, pk) -> Notification:
    """Someone else's message does not exist for this person: 404."""
    return get_object_or_404(notification_list(actor=actor), pk=pk)

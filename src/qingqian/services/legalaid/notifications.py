"""Who is told of each step of a legal aid request, once it is committed: the
legal service of a new, withdrawn or rated request (the authorities when no legal
service covers it), the requester of the legal service's answers. Never the
person who acted."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from qingqian.accounts.models import OFFICIAL_ROLES, Organisation, Role, User
from qingqian.accounts.permissions import ROLE_PERMISSIONS, Perm
from qingqian.notifications.services import notify
from qingqian.services.models import AidRequest

NOT_AUTHORITIES = [Organisation.Kind.HANDLING_DEPARTMENT, Organisation.Kind.LEGAL_SERVICE]
TO_PROVIDER = {
    "submit": gettext_noop("New legal aid request from %(enterprise)s: answer by %(due)s."),
    "assign": gettext_noop(
        "Legal aid request from %(enterprise)s assigned to you: answer by %(due)s."
    ),
    "withdraw": gettext_noop("%(enterprise)s withdrew its legal aid request."),
    "rate": gettext_noop("%(enterprise)s rated your legal aid: %(rating)s of 5."),
    "remind": gettext_noop("Reminder: answer the legal aid request of %(enterprise)s by %(due)s."),
    "overdue": gettext_noop("The legal aid request of %(enterprise)s was due %(due)s: overdue."),
}
TO_REQUESTER = {
    "accept": gettext_noop("Your legal aid request was accepted by %(provider)s."),
    "decline": gettext_noop("Your legal aid request was declined by %(provider)s."),
    "appointment": gettext_noop("Appointment for your legal aid request: %(appointment)s."),
    "outcome": gettext_noop("The outcome of your legal aid request is recorded: please rate it."),
}


def notify_step(aid: AidRequest, action: str, actor) -> None:
    """After commit: tell those concerned of `action` (the sweep's texts included)."""
    recipients = requester(aid) if action in TO_REQUESTER else answerers(aid)
    text = TO_REQUESTER.get(action) or TO_PROVIDER.get(action)
    if text is None:
        return
    actor_id = getattr(actor, "pk", None)
    key = f"legal-aid:{aid.pk}:{action}:{aid.answer_due_on}:{aid.appointment_at}"

    def send():
        send_now(aid, text, [u for u in recipients if u.pk != actor_id], key)

    transaction.on_commit(send, robust=True)


def send_now(aid: AidRequest, text: str, recipients: list, key: str) -> int:
    """Put the message in each inbox (once per key); how many were new."""
    url = reverse("legalaid-detail", args=[aid.pk])
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        body = _(text) % _values(aid)
        for user in recipients:
            if user.is_active and notify(
                recipient=user, dedup_key=key, subject=body[:200], body=body, url=url
            ):
                sent += 1
    return sent


def _values(aid: AidRequest) -> dict:
    at = aid.appointment_at
    return {
        "enterprise": aid.enterprise.name,
        "provider": aid.provider.name if aid.provider else "",
        "due": aid.answer_due_on.isoformat(),
        "rating": aid.rating or "",
        "appointment": f"{timezone.localtime(at):%Y-%m-%d %H:%M}" if at else "",
    }


def requester(aid: AidRequest) -> list:
    return [aid.requested_by]


def answerers(aid: AidRequest) -> list:
    """The legal service's advisers; without one, the officials who oversee legal
    aid in the request's province and city."""
    if aid.provider_id:
        return list(User.objects.filter(role=Role.ADVISER, organisation_id=aid.provider_id))
    return authorities(aid)


def authorities(aid: AidRequest) -> list:
    roles = [r for r in OFFICIAL_ROLES if Perm.LEGAL_AID_OVERSEE in ROLE_PERMISSIONS[r]]
    code = aid.region_code
    return list(
        User.objects.filter(
            role__in=roles,
            organisation__region_code__in={code[:2] + "0000", code[:4] + "00"},
        ).exclude(organisation__kind__in=NOT_AUTHORITIES)
    )

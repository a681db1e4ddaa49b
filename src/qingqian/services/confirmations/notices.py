"""Who is told of each step of a confirmation request, once it is committed:
the debtor's representatives of the request, its withdrawal and the
reminders; the SME's users of the answer; the SME and the supervising
authority's officials of a breach. Never the person who acted."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from qingqian.accounts.models import Role, User
from qingqian.core.money import format_yuan
from qingqian.services.confirmations.authority import overseeing_officials
from qingqian.services.models import ConfirmationRequest

TEXTS = {
    "send": gettext_noop(
        "%(sme)s asks %(debtor)s to confirm %(amount)s owed under contract %(contract)s, "
        "by %(due)s."
    ),
    "withdraw": gettext_noop(
        "%(sme)s withdrew its request to confirm the amount of contract %(contract)s."
    ),
    "remind": gettext_noop(
        "Reminder: %(debtor)s is to answer the request of %(sme)s to confirm %(amount)s "
        "(contract %(contract)s) by %(due)s."
    ),
    "answer": gettext_noop(
        "%(debtor)s answered the request to confirm contract %(contract)s: %(state)s."
    ),
    "lapse": gettext_noop(
        "%(debtor)s did not answer by %(due)s the request of %(sme)s to confirm %(amount)s "
        "(contract %(contract)s)."
    ),
}


def notify_step(request: ConfirmationRequest, step: str, actor=None) -> None:
    """Queue the step's notices for after the commit; `step` is a key of TEXTS."""
    recipients = _recipients(request, step)
    actor_id = getattr(actor, "pk", None)
    key = f"confirmation:{request.pk}:{step}"
    if step == "remind":  # once per clock: a moved due date reminds again
        key += f":{request.answer_due_on.isoformat()}"
    url = reverse("confirmations:detail", args=[request.pk])

    def send():
        from qingqian.notifications.services import notify

        with translation.override(settings.LANGUAGE_CODE):
            body = _(TEXTS[step]) % _values(request)
            for user in recipients:
                if user.pk != actor_id and user.is_active:
                    notify(recipient=user, dedup_key=key, subject=body[:200], body=body, url=url)

    transaction.on_commit(send, robust=True)


def _recipients(request: ConfirmationRequest, step: str) -> list:
    if step in ("send", "withdraw", "remind"):
        return _users_of(request.debtor_id, Role.DEBTOR)
    sme_users = _users_of(request.sme_id, Role.SME)
    if step == "lapse":
        return sme_users + overseeing_officials(request.debtor.region_code)
    return sme_users


def _users_of(enterprise_id: int, role: str) -> list:
    return list(User.objects.filter(enterprise_id=enterprise_id, role=role))


def _values(request: ConfirmationRequest) -> dict:
    return {
        "sme": request.sme.name,
        "debtor": request.debtor.name,
        "amount": format_yuan(request.amount_fen),
        "contract": request.contract_number,
        "due": request.answer_due_on.isoformat(),
        "state": request.get_state_display(),
    }

"""Background work of accounts (django-tasks): the e-mails that carry an
invitation or a password-reset link. The link's token is made here, in the
worker, so that no usable token is ever stored in the queue's table."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_tasks import task

from qingqian.accounts.models import User
from qingqian.accounts.tokens import invitation_tokens, password_reset_tokens
from qingqian.core import outbox


@task()
def send_invitation_task(user_id: int) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return False  # deactivated, or the invitation was accepted meanwhile
    with translation.override(settings.LANGUAGE_CODE):
        link = link_for("invitation-accept", user, invitation_tokens.make_token(user))
        body = _(
            "You have been given an account on the Qingqian platform for clearing "
            "arrears owed to SMEs, at %(organisation)s, as %(role)s.\n\n"
            "Your username is %(username)s. Set your password here (the link works "
            "once, for %(days)d days):\n\n%(link)s\n"
        ) % {
            "organisation": user.organisation or user.enterprise,
            "role": user.get_role_display(),
            "username": user.username,
            "days": settings.QINGQIAN_INVITATION_DAYS,
            "link": link,
        }
        send_to(user, _("Your Qingqian account"), body)
    return True


@task()
def send_password_reset_task(user_id: int) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        link = link_for("password-reset-confirm", user, password_reset_tokens.make_token(user))
        body = _(
            "Someone asked to reset the password of your Qingqian account %(username)s. "
            "Set a new password here (the link works once, for two hours):\n\n%(link)s\n\n"
            "If it was not you, ignore this message: your password stays as it is."
        ) % {"username": user.username, "link": link}
        send_to(user, _("Reset your Qingqian password"), body)
    return True


def link_for(view_name: str, user: User, token: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return settings.QINGQIAN_BASE_URL + reverse(view_name, args=[uid, token])


def send_to(user: User, subject: str, body: str) -> None:
    """One e-mail per run of the queued task: a retried run (a worker killed after
    sending) does not send it again (qingqian.core.outbox.once)."""
    outbox.once(
        f"mail:{user.pk}",
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]),
    )

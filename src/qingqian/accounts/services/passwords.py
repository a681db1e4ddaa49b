"""Passwords: a signed-in person changes their own; anyone asks for a reset
link by e-mail and sets a new one through it. A new password ends the
person's other sessions."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _

from qingqian.accounts import verbs
from qingqian.accounts.models import User
from qingqian.accounts.services.sessions import sessions_end
from qingqian.accounts.tokens import password_reset_tokens
from qingqian.core import audit
from qingqian.core.queue import enqueue_with_change


def user_from_uid(uidb64: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    return User.objects.filter(pk=pk).first()


def _new_password_errors(user: User, password: str, field: str) -> dict:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {field: error.messages}
    return {}


@transaction.atomic
def password_change(
    *, actor: User, old_password: str, new_password: str, keep_session: str | None = None
) -> User:
    """The person's own password, proven by the old one; every other session
    of theirs ends (the one `keep_session` names stays signed in)."""
    user = User.objects.select_for_update().get(pk=actor.pk)
    errors = {}
    if not user.check_password(old_password):
        errors["old_password"] = _("Your current password is wrong.")
    errors.update(_new_password_errors(user, new_password, "new_password"))
    if errors:
        raise ValidationError(errors)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    ended = sessions_end(user=user, keep=keep_session)
    audit.record(
        actor=user, verb=verbs.USER_PASSWORD_CHANGE, target=user, payload={"sessions_ended": ended}
    )
    return user


@transaction.atomic
def password_reset_request(*, email: str) -> None:
    """Send a reset link to every active account with this address and a
    password. Says nothing about whether there is one (no account enumeration)."""
    from qingqian.accounts.tasks import send_password_reset_task

    users = User.objects.filter(email__iexact=email.strip(), is_active=True)
    for user in users:
        if not user.has_usable_password():
            continue  # an invitee sets the first password through the invitation
        audit.record(actor=None, verb=verbs.USER_PASSWORD_RESET_REQUEST, target=user, payload={})
        enqueue_with_change(send_password_reset_task, user.pk)


def password_reset_user(*, uidb64: str, token: str) -> User | None:
    """The active account whose valid reset link this is, or None."""
    user = user_from_uid(uidb64)
    if user is None or not user.is_active:
        return None
    return user if password_reset_tokens.check_token(user, token) else None


@transaction.atomic
def password_reset(*, user: User, token: str, password: str) -> User:
    """A new password through a reset link (spent by it); every session ends."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active or not password_reset_tokens.check_token(user, token):
        raise ValidationError(
            {"token": _("This password-reset link has been used or has expired.")}
        )
    errors = _new_password_errors(user, password, "password")
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save(update_fields=["password"])
    ended = sessions_end(user=user)
    audit.record(
        actor=user, verb=verbs.USER_PASSWORD_RESET, target=user, payload={"sessions_ended": ended}
    )
    return user

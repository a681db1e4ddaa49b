"""Invitations: an administrator creates an official's account without a
password and the invitee sets one through the link e-mailed to them (sent by
the task queue once the account is committed)."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from qingqian.accounts import selectors, verbs
from qingqian.accounts.models import Organisation, Role, User
from qingqian.accounts.permissions import Perm, require_perm
from qingqian.accounts.services.passwords import user_from_uid
from qingqian.accounts.services.staff import organisation_errors, placement_errors, role_errors
from qingqian.accounts.tokens import invitation_tokens
from qingqian.core import audit
from qingqian.core.queue import enqueue_with_change

NAME_MAX = User._meta.get_field("first_name").max_length
USERNAME_MAX = User._meta.get_field("username").max_length


def normalised_email(email: str) -> str:
    return email.strip().lower()


def person_errors(*, full_name: str, email: str, name_field: str = "full_name") -> dict:
    """What is wrong with a new account's name and e-mail address (`email`
    already normalised), by field: the checks every way of making an account shares."""
    errors = {}
    if not full_name.strip():
        errors[name_field] = _("Enter the person's name.")
    elif len(full_name.strip()) > NAME_MAX:
        errors[name_field] = _("The name is too long.")
    try:
        validate_email(email)
        if len(email) > USERNAME_MAX:
            errors["email"] = _("The e-mail address is too long to serve as a username.")
    except ValidationError:
        errors["email"] = _("Enter a valid e-mail address.")
    if "email" not in errors and _email_taken(email):
        errors["email"] = _("An account with this e-mail address exists.")
    return errors


def invitation_errors(
    *, actor, full_name: str, email: str, organisation: Organisation | None, role: str
) -> dict:
    """What is wrong with one invitation, by field; `email` already normalised.
    Shared with the CSV import, which checks every row before writing any."""
    return {
        **person_errors(full_name=full_name, email=email),
        **role_errors(role),
        **organisation_errors(actor=actor, organisation=organisation),
        **placement_errors(role, organisation),
    }


def _email_taken(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists() or (
        User.objects.filter(username__iexact=email).exists()
    )


@transaction.atomic
def user_invite(
    *, actor, full_name: str, email: str, organisation: Organisation | None, role: str
) -> User:
    """Create an official's account (username: the e-mail address; no usable
    password) in an organisation of the actor's subtree, and send the invitation."""
    require_perm(actor, Perm.USER_MANAGE)
    email = normalised_email(email)
    errors = invitation_errors(
        actor=actor, full_name=full_name, email=email, organisation=organisation, role=role
    )
    if errors:
        raise ValidationError(errors)
    return invitation_create(
        actor=actor, full_name=full_name, email=email, organisation=organisation, role=role
    )


def invitation_create(*, actor, full_name: str, email: str, organisation, role: str) -> User:
    """The write of a checked invitation (inside the caller's transaction)."""
    user = User(organisation=organisation, role=role, is_staff=role == Role.ADMIN)
    return _invited(actor, user, full_name, email, {"organisation": organisation.pk})


def invitation_create_for_enterprise(*, actor, full_name: str, email: str, enterprise) -> User:
    """A colleague's SME account, invited by an account bound to the enterprise
    (checked by the caller, inside its transaction)."""
    user = User(enterprise=enterprise, role=Role.SME)
    return _invited(actor, user, full_name, email, {"enterprise": enterprise.pk})


def _invited(actor, user: User, full_name: str, email: str, where: dict) -> User:
    user.username = user.email = email
    user.first_name = full_name.strip()
    user.set_unusable_password()
    user.save()
    audit.record(
        actor=actor,
        verb=verbs.USER_INVITE,
        target=user,
        payload={"username": email, "role": user.role, **where},
    )
    _send_invitation(user)
    return user


def _send_invitation(user: User) -> None:
    from qingqian.accounts.tasks import send_invitation_task

    enqueue_with_change(send_invitation_task, user.pk)


def invitation_pending(user: User) -> bool:
    """Invited and not yet accepted: an active account that never had a password."""
    return user.is_active and not user.has_usable_password() and user.last_login is None


@transaction.atomic
def invitation_resend(*, actor, user: User) -> User:
    """A new invitation link; the links sent before stop working."""
    require_perm(actor, Perm.USER_MANAGE)
    user = selectors.staff_get(actor=actor, pk=user.pk)
    if not invitation_pending(user):
        raise ValidationError(
            {"invitation": _("This person has accepted the invitation or is deactivated.")}
        )
    user.set_unusable_password()  # a new random one: the old links' hash no longer matches
    user.save(update_fields=["password"])
    audit.record(actor=actor, verb=verbs.USER_INVITATION_RESEND, target=user, payload={})
    _send_invitation(user)
    return user


def invitation_user(*, uidb64: str, token: str) -> User | None:
    """The invitee whose valid link this is, or None (used, expired or forged)."""
    user = user_from_uid(uidb64)
    if user is None or not invitation_pending(user):
        return None
    return user if invitation_tokens.check_token(user, token) else None


@transaction.atomic
def invitation_accept(*, user: User, token: str, password: str) -> User:
    """The invitee sets a password (Django's validators); the link is spent."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not invitation_pending(user) or not invitation_tokens.check_token(user, token):
        raise ValidationError({"token": _("This invitation link has been used or has expired.")})
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(actor=user, verb=verbs.USER_INVITATION_ACCEPT, target=user, payload={})
    return user

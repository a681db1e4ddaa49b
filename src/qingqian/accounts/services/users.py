"""Audited writes of people: creating an account."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qingqian.accounts import verbs
from qingqian.accounts.models import ENTERPRISE_ROLES, Organisation, Role, User
from qingqian.accounts.permissions import Perm, require_perm
from qingqian.core import audit


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str,
    role: str,
    organisation: Organisation | None = None,
    enterprise=None,
    full_name: str = "",
    email: str = "",
    validate: bool = True,
    two_factor_exempt: bool = False,
) -> User:
    """Create a person. `validate=False` skips the password-strength rules and
    `two_factor_exempt=True` lets an official sign in with a password alone
    (both used only for the demo accounts, which production refuses to run with)."""
    require_perm(actor, Perm.USER_MANAGE)
    errors = {}
    username = username.strip()
    if not username:
        errors["username"] = _("Enter a username.")
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("This username is taken.")
    if role not in Role.values:
        errors["role"] = _("Choose a valid role.")
    elif role in ENTERPRISE_ROLES and (enterprise is None or organisation is not None):
        errors["enterprise"] = _("SME users and debtor representatives belong to one enterprise.")
    elif role not in ENTERPRISE_ROLES and (organisation is None or enterprise is not None):
        errors["organisation"] = _("Officials belong to one organisation.")
    if validate and not errors:
        try:
            validate_password(password, User(username=username, email=email))
        except ValidationError as error:
            errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    user = User(
        username=username,
        role=role,
        organisation=organisation,
        enterprise=enterprise,
        first_name=full_name.strip(),
        email=email.strip(),
        is_staff=role == Role.ADMIN,
        two_factor_exempt=two_factor_exempt,
    )
    user.set_password(password)
    user.save()
    audit.record(
        actor=actor,
        verb=verbs.USER_CREATE,
        target=user,
        payload={
            "username": username,
            "role": role,
            "organisation": organisation and organisation.pk,
            "enterprise": enterprise and enterprise.pk,
            "two_factor_exempt": two_factor_exempt,
        },
    )
    return user

"""Audited changes of officials by an administrator: role, organisation,
deactivation (never deletion) and reactivation. Each one finds the person in
the administrator's staff list (selectors.staff_get: 404 outside its subtree)
and refuses to act on the administrator itself (it would lock itself out, or
widen its own powers)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qingqian.accounts import selectors, verbs
from qingqian.accounts.models import STAFF_ROLES, ApiToken, Organisation, Role, User
from qingqian.accounts.permissions import Perm, require_perm
from qingqian.accounts.rules import role_fits_organisation
from qingqian.accounts.services.sessions import sessions_end
from qingqian.core import audit


def role_errors(role: str) -> dict:
    if role not in STAFF_ROLES:
        return {
            "role": _(
                "Choose a staff role: intake officer, handler, supervisor, administrator "
                "or legal adviser."
            )
        }
    return {}


def placement_errors(role: str, organisation: Organisation | None) -> dict:
    """A legal adviser in a legal service, an official anywhere else."""
    if organisation is None or role not in STAFF_ROLES:
        return {}
    if not role_fits_organisation(role, organisation.kind):
        return {"role": _("Legal advisers work in legal services, and only they do.")}
    return {}


def organisation_errors(*, actor, organisation: Organisation | None) -> dict:
    if organisation is None:
        return {"organisation": _("Choose an organisation.")}
    if not selectors.staff_organisations(actor=actor).filter(pk=organisation.pk).exists():
        return {"organisation": _("This organisation is not one where you may place staff.")}
    return {}


def _managed(actor, user: User, field: str) -> User:
    """The person as the actor may manage them (404 outside its staff), not itself."""
    require_perm(actor, Perm.USER_MANAGE)
    user = selectors.staff_get(actor=actor, pk=user.pk)
    if actor is not None and user.pk == actor.pk:
        raise ValidationError({field: _("You cannot do this to your own account.")})
    return user


@transaction.atomic
def user_role_change(*, actor, user: User, role: str) -> User:
    user = _managed(actor, user, "role")
    errors = role_errors(role) or placement_errors(role, user.organisation)
    if errors:
        raise ValidationError(errors)
    before = user.role
    user.role = role
    user.is_staff = role == Role.ADMIN  # the (read-only) Django admin is for administrators
    user.save(update_fields=["role", "is_staff"])
    audit.record(
        actor=actor, verb=verbs.USER_ROLE_CHANGE, target=user, payload={"from": before, "to": role}
    )
    return user


@transaction.atomic
def user_move(*, actor, user: User, organisation: Organisation) -> User:
    user = _managed(actor, user, "organisation")
    errors = organisation_errors(actor=actor, organisation=organisation) or placement_errors(
        user.role, organisation
    )
    if errors:
        raise ValidationError(errors)
    before = user.organisation_id
    user.organisation = organisation
    user.save(update_fields=["organisation"])
    audit.record(
        actor=actor,
        verb=verbs.USER_MOVE,
        target=user,
        payload={"from": before, "to": organisation.pk},
    )
    return user


@transaction.atomic
def user_deactivate(*, actor, user: User) -> User:
    """The account stays (the audit trail and the records point at it) but can
    no longer sign in: its sessions end now and its API tokens are revoked."""
    user = _managed(actor, user, "is_active")
    if not user.is_active:
        raise ValidationError({"is_active": _("This account is already deactivated.")})
    user.is_active = False
    user.save(update_fields=["is_active"])
    tokens_revoked, _by_model = ApiToken.objects.filter(user=user).delete()
    audit.record(
        actor=actor,
        verb=verbs.USER_DEACTIVATE,
        target=user,
        payload={"tokens_revoked": tokens_revoked, "sessions_ended": sessions_end(user=user)},
    )
    return user


@transaction.atomic
def user_reactivate(*, actor, user: User) -> User:
    user = _managed(actor, user, "is_active")
    if user.is_active:
        raise ValidationError({"is_active": _("This account is active.")})
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit.record(actor=actor, verb=verbs.USER_REACTIVATE, target=user, payload={})
    return user

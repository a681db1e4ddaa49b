"""Reads of SME sign-ups, scoped: an intake officer (or administrator) sees the
sign-ups of enterprises located in their jurisdiction; anyone else none."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core.scoping import scope_for
from qingqian.portal.models import Registration, State


def registration_list(*, actor, state: str = State.AWAITING_REVIEW) -> QuerySet[Registration]:
    scope = scope_for(actor)
    if actor is None or not has_perm(actor, Perm.SIGNUP_REVIEW) or scope.nothing:
        return Registration.objects.none()
    rows = Registration.objects.select_related("enterprise", "user", "reviewed_by")
    if state:
        rows = rows.filter(state=state)
    if scope.everything:
        return rows
    return rows.filter(region_code__startswith=scope.region_prefix)


def registration_get(*, actor, pk: int) -> Registration:
    return get_object_or_404(registration_list(actor=actor, state=""), pk=pk)


def own_registration(*, actor) -> Registration | None:
    """The signed-in account's own sign-up, if it made one here."""
    if actor is None or not actor.is_authenticated:
        return None
    return Registration.objects.select_related("enterprise").filter(user_id=actor.pk).first()

"""Reads of organisations and users, scoped by the actor."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from qingqian.accounts.models import Organisation, User
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core.scoping import scope_for


def organisation_list(*, actor) -> QuerySet[Organisation]:
    """Officials see the organisations of their jurisdiction (for the national
    level, all). An organisation outside it does not exist for them."""
    scope = scope_for(actor)
    if scope.enterprise_id is not None or scope.nothing:
        return Organisation.objects.none()
    if not has_perm(actor, Perm.ORGANISATION_VIEW):
        return Organisation.objects.none()
    organisations = Organisation.objects.select_related("parent")
    if not scope.everything:
        organisations = organisations.filter(region_code__startswith=scope.region_prefix)
    return organisations.order_by("path")


def organisation_get(*, actor, pk) -> Organisation:
    return get_object_or_404(organisation_list(actor=actor), pk=pk)


def organisation_subtree(organisation: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(path__startswith=organisation.path)


def user_list(*, actor) -> QuerySet[User]:
    """Administrators see the people of their jurisdiction; anyone else only themselves."""
    users = User.objects.select_related("organisation", "enterprise")
    if actor is None or not actor.is_authenticated:
        return users.none()
    if not has_perm(actor, Perm.USER_MANAGE):
        return users.filter(pk=actor.pk)
    scope = scope_for(actor)
    if scope.everything:
        return users.order_by("username")
    return users.filter(
        Q(organisation__region_code__startswith=scope.region_prefix)
        | Q(enterprise__region_code__startswith=scope.region_prefix)
    ).order_by("username")


def user_get(*, actor, pk) -> User:
    return get_object_or_404(user_list(actor=actor), pk=pk)

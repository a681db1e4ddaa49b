"""Reads of enterprises, always scoped by the actor."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core.scoping import scope_for
from qingqian.parties.models import Enterprise


def enterprise_list(*, actor, type: str = "") -> QuerySet[Enterprise]:
    scope = scope_for(actor)
    if scope.nothing or not has_perm(actor, Perm.ENTERPRISE_VIEW):
        return Enterprise.objects.none()
    enterprises = Enterprise.objects.all()
    if scope.enterprise_id is not None:
        enterprises = enterprises.filter(pk=scope.enterprise_id)
    elif not scope.everything:
        enterprises = enterprises.filter(region_code__startswith=scope.region_prefix)
    if type:
        enterprises = enterprises.filter(type=type)
    return enterprises.order_by("name", "pk")


def enterprise_get(*, actor, pk) -> Enterprise:
    """Out of scope and nonexistent look the same: 404."""
    return get_object_or_404(enterprise_list(actor=actor), pk=pk)

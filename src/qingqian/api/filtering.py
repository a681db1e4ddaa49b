"""A list's filters over the API: the list's `FilterSet` (the one its page uses)
bound to the query string, and documented as the operation's query parameters."""

from __future__ import annotations

import django_filters
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter


def filtered(request, filterset_class, queryset):
    """The list as the query string filters it; invalid filters are a 400 naming each."""
    filterset = filterset_class(request.query_params, queryset=queryset)
    if not filterset.is_valid():
        raise translate_validation(filterset.errors)
    return filterset.qs


def filter_parameters(filterset_class, descriptions: dict[str, str]) -> list[OpenApiParameter]:
    """The filters as query parameters; a choice among fixed values is an enum."""
    return [
        OpenApiParameter(
            name,
            OpenApiTypes.DATE if isinstance(lookup, django_filters.DateFilter) else str,
            description=descriptions.get(name, ""),
            enum=_fixed_choices(lookup),
        )
        for name, lookup in filterset_class.base_filters.items()
    ]


def _fixed_choices(lookup) -> list[str] | None:
    choices = lookup.extra.get("choices")
    if choices is None or callable(choices):  # none, or read from the database per request
        return None
    return [value for value, _label in choices]

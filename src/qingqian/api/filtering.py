"""A list's filters over the API: the list's `FilterSet` (the one its page uses)
bound to the query string, and documented as the operation's query parameters.
An invalid parameter answers 400 naming it, in the words the API's own fields
use (DRF's)."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, fields

API_MESSAGES = {
    "invalid_choice": lambda params: fields.ChoiceField.default_error_messages[
        "invalid_choice"
    ].format(input=params["value"]),
    "max_length": lambda params: fields.CharField.default_error_messages["max_length"].format(
        max_length=params["limit_value"]
    ),
    "invalid_boolean": lambda params: str(fields.BooleanField.default_error_messages["invalid"]),
}


def filtered(request, filterset_class, queryset: QuerySet) -> QuerySet:
    """`queryset` (already scoped to the actor) narrowed by the query string."""
    query = filterset_class(request.query_params, queryset=queryset)
    if not query.is_valid():
        raise exceptions.ValidationError(problems_of(query))
    return query.qs


def problems_of(filterset) -> dict[str, list[str]]:
    """Each invalid parameter of a bound FilterSet → its messages, in the API's words."""
    return {name: _messages(errors) for name, errors in filterset.form.errors.as_data().items()}


def _messages(errors: list[ValidationError]) -> list[str]:
    return [
        API_MESSAGES[error.code](error.params or {})
        if error.code in API_MESSAGES
        else " ".join(error.messages)
        for error in errors
    ]


# Every paged list takes these beside its filters.
PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="Page number, from 1."),
    OpenApiParameter("page_size", int, description="Up to 500."),
]


def filter_parameters(
    filterset_class, descriptions: dict[str, str] | None = None
) -> list[OpenApiParameter]:
    """The FilterSet's parameters for the schema; a choice among fixed values is an enum."""
    descriptions = descriptions or {}
    return [
        OpenApiParameter(
            name,
            _schema(lookup),
            description=descriptions.get(name) or lookup.extra.get("help_text", ""),
        )
        for name, lookup in filterset_class.base_filters.items()
    ]


def _schema(lookup: django_filters.Filter) -> dict:
    if isinstance(lookup, django_filters.DateFilter):
        return {"type": "string", "format": "date"}
    if callable(lookup.extra.get("choices")):  # read from the database per request
        return {"type": "string"}
    field = lookup.field
    if isinstance(field, forms.ChoiceField):
        return {"type": "string", "enum": [value for value, _label in field.choices if value]}
    if isinstance(field, forms.NullBooleanField):
        return {"type": "boolean", "default": False}
    max_length = getattr(field, "max_length", None)
    return {"type": "string", "maxLength": max_length} if max_length else {"type": "string"}

"""List filters on the API: the app's django-filter `FilterSet`, bound to the
query string. An invalid parameter answers 400 naming it, in the words the
API's own fields use (DRF's); the schema documents the same parameters."""

from __future__ import annotations

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


def filtered(filterset_class, request, queryset: QuerySet) -> QuerySet:
    """`queryset` (already scoped to the actor) narrowed by the query string."""
    query = filterset_class(request.query_params, queryset=queryset)
    if not query.is_valid():
        raise exceptions.ValidationError(
            {name: _messages(errors) for name, errors in query.form.errors.as_data().items()}
        )
    return query.qs


def _messages(errors: list[ValidationError]) -> list[str]:
    return [
        API_MESSAGES[error.code](error.params or {})
        if error.code in API_MESSAGES
        else " ".join(error.messages)
        for error in errors
    ]


def filter_parameters(filterset_class) -> list[OpenApiParameter]:
    """The FilterSet's parameters for the schema."""
    return [
        OpenApiParameter(name, _schema(filter_.field), description=filter_.field.help_text)
        for name, filter_ in filterset_class.base_filters.items()
    ]


def _schema(field: forms.Field) -> dict:
    if isinstance(field, forms.ChoiceField):
        return {"type": "string", "enum": [value for value, _ in field.choices if value]}
    if isinstance(field, forms.NullBooleanField):
        return {"type": "boolean", "default": False}
    return {"type": "string", "maxLength": field.max_length}

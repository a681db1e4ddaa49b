"""Small query helpers shared by every app."""

from __future__ import annotations

from django.db.models import QuerySet


def any_one(queryset: QuerySet):
    """One row of the query, or None, read without sorting: for a lookup by a
    unique key, or a check that any match answers (`.first()` sorts every
    match by the model's ordering to pick one)."""
    return next(iter(queryset.order_by()[:1]), None)

"""Small query helpers shared by every app."""

from __future__ import annotations

from django.db.models import QuerySet

# What the database's bigint holds: a larger id names no row (and would overflow
# the query), so forms and the API refuse it as input rather than fail on it.
MAX_ID = 2**63 - 1


def any_one(queryset: QuerySet):
    """One row of the query, or None, read without sorting: for a lookup by a
    unique key, or a check that any match answers (`.first()` sorts every
    match by the model's ordering to pick one)."""
    return next(iter(queryset.order_by()[:1]), None)

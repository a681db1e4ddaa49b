"""Reads of region names. Region codes are public reference data, so these
selectors take no actor and apply no scope (unlike the domain selectors)."""

from __future__ import annotations

from qingqian.core import regions
from qingqian.core.models import Region


def county_name(code: str) -> str | None:
    """Name of an imported county-level unit, or None if it was not imported."""
    if not regions.is_code_shaped(code):
        return None
    return Region.objects.filter(code=code).values_list("name", flat=True).first()


def region_name(code: str) -> str | None:
    """Name of any region: shipped province/prefecture first, else an imported county."""
    shipped = regions.lookup(code)
    if shipped is not None:
        return shipped.name
    return county_name(code)

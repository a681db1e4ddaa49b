"""Audited import of county-level region codes (the only write to core.Region).

Provinces and prefectures ship with the package; county-level units change
every year (MCA publishes a new list), so an administrator loads them from a
CSV. The import is all-or-nothing: every row is checked first and, if any is
bad, nothing is written and the error lists all bad rows with line numbers, so
the file can be fixed in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from qingqian.accounts.permissions import Perm, require_perm
from qingqian.core import audit
from qingqian.core.models import Region
from qingqian.core.regions import CountyRow, CountyRowsError, county_row_problems
from qingqian.reference import verbs

__all__ = ["CountyRow", "CountyRowsError", "regions_import"]

BATCH_SIZE = 500


@transaction.atomic
def regions_import(*, actor, rows: Iterable[CountyRow | tuple[str, str]]) -> int:
    """Upsert county-level regions; return how many rows the file had.

    ``rows`` are `CountyRow`s (with file line numbers) or plain ``(code, name)``
    pairs, numbered from 1. ``actor`` None is the system (CLI). Raises
    `CountyRowsError` carrying every bad row; writes one ``regions.import``
    audit event on success.
    """
    require_perm(actor, Perm.REFERENCE_EDIT)
    county_rows = _as_county_rows(rows)
    problems = county_row_problems(county_rows)
    if problems:
        raise CountyRowsError(problems)
    created, updated = _upsert(county_rows)
    count = len(county_rows)
    audit.record(
        actor=actor,
        verb=verbs.REGIONS_IMPORT,
        target=None,
        payload={
            "count": count,
            "created": created,
            "updated": updated,
            "unchanged": count - created - updated,
        },
    )
    return count


def _as_county_rows(rows: Iterable[CountyRow | tuple[str, str]]) -> list[CountyRow]:
    result = []
    for index, row in enumerate(rows, start=1):
        if not isinstance(row, CountyRow):
            code, name = row
            row = CountyRow(line=index, code=str(code).strip(), name=str(name).strip())
        result.append(row)
    return result


def _upsert(rows: list[CountyRow]) -> tuple[int, int]:
    """Create new codes, rename changed ones; return (created, updated)."""
    existing = dict(Region.objects.values_list("code", "name"))
    new = [Region(code=r.code, name=r.name) for r in rows if r.code not in existing]
    changed = [
        Region(code=r.code, name=r.name)
        for r in rows
        if r.code in existing and existing[r.code] != r.name
    ]
    Region.objects.bulk_create(new, batch_size=BATCH_SIZE)
    Region.objects.bulk_update(changed, ["name"], batch_size=BATCH_SIZE)
    return len(new), len(changed)

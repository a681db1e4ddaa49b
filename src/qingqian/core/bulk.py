"""Plain bulk inserts, for the few writes where the ORM's per-object work is
most of the time (the ledger importer). Callers record the audit event."""

from __future__ import annotations

from django.db import connection


def insert_rows(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """One executemany of plain tuples (already adapted for the database)."""
    if not rows:
        return
    meta = model._meta
    columns = ", ".join(meta.get_field(name).column for name in fields)
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {meta.db_table} ({columns}) VALUES ({marks})",  # nosec B608 # names from _meta; values are bound parameters
            rows,
        )

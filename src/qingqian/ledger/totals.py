"""Keeping `LedgerTotal` equal to the items, in the items' own transaction.

A change to an item is "take its old figures out of the old key, put its new
figures into the new key". Changes are collected in a `TotalsDelta` and applied
with one upsert per key, so a batch of 5,000 imported rows touches only the
few hundred summary rows it concerns.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import connection

from qingqian.core import figures_version
from qingqian.ledger.models import LedgerItem, LedgerTotal

Key = tuple[str, str, str, str, str]  # region, province, debtor type, status, category


@dataclass(frozen=True)
class Snapshot:
    """What an item contributes to the totals."""

    key: Key
    owed_fen: int
    paid_fen: int
    disputed_fen: int
    written_off_fen: int

    @classmethod
    def of(cls, item: LedgerItem) -> Snapshot:
        key = (item.region_code, item.province_code, item.debtor_type, item.status, item.category)
        return cls(key, item.owed_fen, item.paid_fen, item.disputed_fen, item.written_off_fen)


class TotalsDelta:
    def __init__(self):
        self._changes: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])

    def add(self, snapshot: Snapshot, sign: int = 1) -> None:
        self.add_figures(
            snapshot.key,
            sign * snapshot.owed_fen,
            sign * snapshot.paid_fen,
            sign * snapshot.disputed_fen,
            sign * snapshot.written_off_fen,
            items=sign,
        )

    def add_figures(
        self, key: Key, owed: int, paid: int, disputed: int, written_off: int, *, items: int = 1
    ) -> None:
        """`add` without a Snapshot: for the importer's million rows."""
        change = self._changes[key]
        change[0] += items
        change[1] += owed
        change[2] += paid
        change[3] += disputed
        change[4] += written_off

    def move(self, before: Snapshot | None, after: Snapshot) -> None:
        if before is not None:
            self.add(before, -1)
        self.add(after)

    def apply(self) -> None:
        """Write the collected changes (inside the transaction of the item changes)."""
        rows = [(*key, *change) for key, change in self._changes.items() if any(change)]
        if rows:
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql" and len(rows) > 1:
                    # One statement for them all: an import's batch moves thousands of keys.
                    columns = [list(column) for column in zip(*rows, strict=True)]
                    cursor.execute(_UPSERT_FROM_ARRAYS, columns)
                else:
                    cursor.executemany(_UPSERT, rows)
            figures_version.bump()  # the public pages show these totals
        self._changes.clear()


_TABLE = LedgerTotal._meta.db_table
_COLUMNS = """
INSERT INTO {table}
    (region_code, province_code, debtor_type, status, category,
     items, owed_fen, paid_fen, disputed_fen, written_off_fen)"""
_ADD = f"""
ON CONFLICT (region_code, debtor_type, status, category) DO UPDATE SET
    items = {_TABLE}.items + excluded.items,
    owed_fen = {_TABLE}.owed_fen + excluded.owed_fen,
    paid_fen = {_TABLE}.paid_fen + excluded.paid_fen,
    disputed_fen = {_TABLE}.disputed_fen + excluded.disputed_fen,
    written_off_fen = {_TABLE}.written_off_fen + excluded.written_off_fen
"""  # nosec B608 # table name from _meta
# One statement for SQLite (3.24+) and PostgreSQL alike.
_UPSERT = _COLUMNS.format(table=_TABLE) + " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)" + _ADD
# PostgreSQL: every key of a delta at once, a column an array.
_UPSERT_FROM_ARRAYS = (
    _COLUMNS.format(table=_TABLE)
    + " SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::text[], "  # nosec B608 # table name from _meta; values are bound parameters
    "%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[]) AS delta" + _ADD
)


def record_change(before: Snapshot | None, item: LedgerItem) -> None:
    """The common case: one item changed (or was created, with `before` None)."""
    delta = TotalsDelta()
    delta.move(before, Snapshot.of(item))
    delta.apply()

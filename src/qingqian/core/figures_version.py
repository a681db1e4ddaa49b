"""The public figures' version: what a cached public page is keyed by.

`bump()` is called, inside their own transaction, by the few writers of what
the public pages show: `supervision.dashboard.tallies.Tallies.apply` (and the
rebuild), `ledger.totals.TotalsDelta.apply`, the ledger snapshot, a notice's
approval, a calendar change moving due dates and an authority's new name.
`current()` is read before the figures, so a page is never stored under a
version newer than the figures it shows (docs/adr/0010-public-page-cache.md).

The version is a sum over a few rows rather than one counter: on PostgreSQL each
writer increments a row no other open transaction holds (FOR UPDATE SKIP
LOCKED), so a ledger import holding its row for minutes keeps nobody waiting, and
a row is added when all are held. The sum rises by one with every committed
bump, whatever order the transactions commit in; a rolled-back bump is undone
with its transaction.
"""

from __future__ import annotations

import sqlite3
import threading

from django.db import connection

from qingqian.core.models import FiguresVersion

_TABLE = FiguresVersion._meta.db_table

# PostgreSQL: the lowest row no other transaction holds (its own it may take again).
_BUMP_FREE_ROW = (
    f"UPDATE {_TABLE} SET bumps = bumps + 1 WHERE id = ("  # nosec B608 # name from _meta
    f"SELECT id FROM {_TABLE} ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)"
)
# Every row held by another writer: a new one (a new id, so no conflict to wait on).
_BUMP_NEW_ROW = f"INSERT INTO {_TABLE} (bumps) VALUES (1)"  # nosec B608 # name from _meta
# SQLite has one writer at a time: any row will do, and never waits on another.
_BUMP_FIRST_ROW = (
    f"UPDATE {_TABLE} SET bumps = bumps + 1 "  # nosec B608 # name from _meta
    f"WHERE id = (SELECT min(id) FROM {_TABLE})"
)
_CURRENT = f"SELECT coalesce(sum(bumps), 0) FROM {_TABLE}"  # nosec B608 # name from _meta


def bump() -> None:
    """Say that a public figure changed, in the changing transaction."""
    statement = _BUMP_FREE_ROW if connection.vendor == "postgresql" else _BUMP_FIRST_ROW
    with connection.cursor() as cursor:
        cursor.execute(statement)
        if cursor.rowcount == 0:
            cursor.execute(_BUMP_NEW_ROW)


def current() -> int:
    """The version now: one small aggregate over a handful of rows.

    On a SQLite file, outside a transaction, it is read through a read-only
    connection kept by each thread, apart from Django's: a page served from the
    cache then needs no other query, and not Django's connection at all. In WAL
    mode every statement of that connection reads the last committed state."""
    path = _sqlite_file()
    if path is not None:
        return read_sqlite_version(path)
    with connection.cursor() as cursor:
        cursor.execute(_CURRENT)
        return int(cursor.fetchone()[0])


_readers = threading.local()


def read_sqlite_version(path: str) -> int:
    reader = getattr(_readers, "connections", None)
    if reader is None:
        reader = _readers.connections = {}
    conn = reader.get(path)
    if conn is None:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
        reader[path] = conn
    try:
        return int(conn.execute(_CURRENT).fetchone()[0])
    except sqlite3.Error:
        conn.close()  # e.g. the file was replaced (a restore): open it again next time
        del reader[path]
        raise


def _sqlite_file() -> str | None:
    """The database file when the version may be read apart from Django's connection:
    SQLite, on disk, and not inside a transaction (whose own bumps it must see)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return None
    if connection.is_in_memory_db():
        return None
    return str(connection.settings_dict["NAME"])

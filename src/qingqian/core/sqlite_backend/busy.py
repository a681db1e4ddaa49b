"""When the database is busy: SQLite's one writer is taken for longer than a
request may wait.

The embedded mode runs SQLite, which lets one transaction write at a time. A
request that cannot get the writer within QINGQIAN_SQLITE_BUSY_SECONDS fails
with ``OperationalError("database is locked")``, whether it waited in this
process's queue (`DatabaseBusy`) or in SQLite's busy handler (another
process, such as `qingqian worker`, holds the writer). The web middleware and
the API's exception handler answer those with 503 and Retry-After.
Background work waits longer (`waiting_longer`). PostgreSQL has
no such error: nothing here applies to it.
"""

from __future__ import annotations

import math
import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection
from django.utils.translation import gettext_lazy as _

DEFAULT_TIMEOUT = 5.0  # sqlite3's own, when the settings give none
LOCKED_MESSAGE = "database is locked"  # SQLite's own words for SQLITE_BUSY
BUSY_MESSAGE = _(
    "A long task, such as a ledger import, is writing to the database: "
    "nothing was done, try again in a few seconds."
)

_waits = threading.local()


class DatabaseBusy(OperationalError):
    """This process's writer queue did not free up in time."""

    def __init__(self):
        super().__init__(LOCKED_MESSAGE)


def is_database_busy(error: BaseException) -> bool:
    """Whether the error is SQLite's writer being held too long (nothing else)."""
    if isinstance(error, DatabaseBusy):
        return True
    return (
        isinstance(error, OperationalError)
        and connection.vendor == "sqlite"
        and str(error).startswith(LOCKED_MESSAGE)
    )


def retry_after_seconds() -> int:
    """What a refused client is told to wait: as long as it waited."""
    return max(1, math.ceil(settings.QINGQIAN_SQLITE_BUSY_SECONDS))


@contextmanager
def waiting_longer():
    """Background work (the task worker, the CLI) would rather wait behind a long
    import than fail: inside this block the thread waits
    QINGQIAN_SQLITE_BACKGROUND_BUSY_SECONDS for the writer, in this process's
    queue and in SQLite's busy handler alike."""
    before = getattr(_waits, "seconds", None)
    _waits.seconds = settings.QINGQIAN_SQLITE_BACKGROUND_BUSY_SECONDS
    _set_open_connection_timeout()
    try:
        yield
    finally:
        _waits.seconds = before
        _set_open_connection_timeout()


def busy_seconds(configured: float) -> float:
    """How long this thread waits for the writer: its own longer wait, if set."""
    seconds = getattr(_waits, "seconds", None)
    return configured if seconds is None else seconds


def _set_open_connection_timeout() -> None:
    """SQLite's busy timeout is given when connecting; an open connection is told."""
    if connection.vendor == "sqlite" and connection.connection is not None:
        seconds = busy_seconds(connection.settings_dict["OPTIONS"].get("timeout", DEFAULT_TIMEOUT))
        connection.connection.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

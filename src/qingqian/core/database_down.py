"""When the database cannot be reached: PostgreSQL stopped or restarting, the
network to it cut, the SQLite file unreadable.

Such a request wrote nothing (its transaction never began, or was rolled back
with the connection), so the web pages and the API answer 503 with
Retry-After instead of a 500 and its traceback. Recovery needs no step:
connections are checked before reuse (CONN_HEALTH_CHECKS) and a broken one is
dropped at the end of the request, so the first request after the database is
back opens a new one.
"""

from __future__ import annotations

import sqlite3

from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext_lazy as _

RETRY_AFTER_SECONDS = 60
MESSAGE = _("The database is unavailable: nothing was done, try again in a minute.")

# PostgreSQL's SQLSTATEs of a server that went away or will not take connections:
# class 08 (connection exception), admin and crash shutdown, starting up.
_POSTGRESQL_GONE = ("08", "57P01", "57P02", "57P03")
# SQLite's result codes of a file that cannot be opened or read.
_SQLITE_GONE = ("SQLITE_CANTOPEN", "SQLITE_IOERR")


def is_database_unavailable(error: BaseException | None) -> bool:
    """Whether the error is the database being out of reach (not a bad query,
    not SQLite's writer being busy)."""
    if isinstance(error, InterfaceError):
        return True
    if isinstance(error, sqlite3.Error):  # a file read without Django (figures_version)
        return _sqlite_gone(error)
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__  # the driver's own error, which Django wraps
    if cause is None:
        return False  # raised by our code (SQLite's writer queue), not by a driver
    if isinstance(cause, sqlite3.Error):
        return _sqlite_gone(cause)
    # psycopg gives no SQLSTATE when it could not reach the server at all.
    sqlstate = getattr(cause, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(_POSTGRESQL_GONE)


def _sqlite_gone(error: sqlite3.Error) -> bool:
    return (getattr(error, "sqlite_errorname", "") or "").startswith(_SQLITE_GONE)

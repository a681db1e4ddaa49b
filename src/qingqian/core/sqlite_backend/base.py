"""SQLite with one writer at a time per process, queued in Python.

SQLite allows one writing transaction at a time. When threads of one process
collide, SQLite's busy handler makes the losers sleep in growing steps (up to
100 ms each), which turns a few milliseconds of waiting into seconds at the
tail. The embedded mode runs one process, so a process-wide lock taken at
BEGIN and released at COMMIT/ROLLBACK queues writers without sleeping.
Several processes on one SQLite file still work (SQLite's own locking), only
without this queue.

Both waits are bounded by the same `timeout` option (QINGQIAN_SQLITE_BUSY_SECONDS):
a writer that cannot get the lock in time fails with "database is locked",
which the web answers with 503 (see `busy`), instead of queueing behind a
long import forever.
"""

import threading

from django.db.backends.sqlite3 import base

from qingqian.core.namesearch import name_bigrams
from qingqian.core.sqlite_backend.busy import DEFAULT_TIMEOUT, DatabaseBusy, busy_seconds

_WRITER = threading.Lock()


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_writer = False

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        # The name-search index's triggers call it (qingqian.core.namesearch).
        connection.create_function("qq_name_bigrams", 1, name_bigrams, deterministic=True)
        return connection

    def is_usable(self):
        """Asked by Django only after an error on this connection, which is
        kept between requests: a new one is opened, in case the error was the
        file going away or being replaced (qingqian.core.database_down)."""
        return False

    def get_connection_params(self):
        params = super().get_connection_params()
        params["timeout"] = self._wait_seconds()
        return params

    def _wait_seconds(self) -> float:
        return busy_seconds(self.settings_dict["OPTIONS"].get("timeout", DEFAULT_TIMEOUT))

    def _start_transaction_under_autocommit(self):
        if not _WRITER.acquire(timeout=self._wait_seconds()):
            raise DatabaseBusy
        self._holds_writer = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_writer()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_writer()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_writer()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_writer()

    def _release_writer(self):
        if self._holds_writer:
            self._holds_writer = False
            _WRITER.release()

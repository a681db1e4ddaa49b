import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_suite_runs_on_the_database_it_was_asked_to():
    """CI sets QINGQIAN_REQUIRE_DATABASE=postgresql: a silent fall-back to
    SQLite would otherwise pass every test without testing PostgreSQL."""
    required = os.environ.get("QINGQIAN_REQUIRE_DATABASE")
    expected = required or "sqlite"
    assert connection.vendor == expected
    assert connection.settings_dict["NAME"]


def test_a_sqlite_file_keeps_its_connection_between_requests(monkeypatch, tmp_path):
    """Opening a SQLite connection (its pragmas, its functions) cost more than
    a small request's own query: each thread keeps its connection for a while,
    as on PostgreSQL."""
    from qingqian.settings import database_config

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'file.sqlite3'}")
    config = database_config()
    assert config["ENGINE"] == "qingqian.core.sqlite_backend"
    assert config["CONN_MAX_AGE"] == 60


def test_a_kept_sqlite_connection_is_dropped_after_an_error(
    monkeypatch, tmp_path, django_db_blocker
):
    """A kept connection that met an error (the file gone or replaced) is
    closed at the end of the request, so the next request opens the file anew."""
    from qingqian.core.sqlite_backend.base import DatabaseWrapper
    from qingqian.settings import database_config

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'file.sqlite3'}")
    settings_dict = database_config() | {"TIME_ZONE": None, "AUTOCOMMIT": True}
    database = DatabaseWrapper(settings_dict, alias="kept")
    with django_db_blocker.unblock():
        database.ensure_connection()
        database.close_if_unusable_or_obsolete()
        assert database.connection is not None  # kept while nothing went wrong
        database.errors_occurred = True
        database.close_if_unusable_or_obsolete()
        assert database.connection is None

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

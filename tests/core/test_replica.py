"""The dashboards and exports read from the replica when there is one; nothing
else does, and nothing is ever written or migrated there."""

import pytest
from django.conf import settings
from django.db.utils import ConnectionDoesNotExist
from django.http import HttpResponse, StreamingHttpResponse
from django.test import override_settings

from qingqian.core.replica import REPLICA, ReplicaRouter, reads_from_replica, replica_reads
from qingqian.ledger.models import LedgerItem

router = ReplicaRouter()


def with_replica():
    return override_settings(DATABASES={**settings.DATABASES, REPLICA: {"NAME": "replica"}})


def test_without_a_replica_every_read_goes_to_the_primary():
    with replica_reads():
        assert router.db_for_read(LedgerItem) is None


def test_only_the_reads_marked_for_it_go_to_the_replica():
    with with_replica():
        assert router.db_for_read(LedgerItem) is None
        with replica_reads():
            assert router.db_for_read(LedgerItem) == REPLICA
            assert router.db_for_write(LedgerItem) is None
        assert router.db_for_read(LedgerItem) is None


def test_no_migration_runs_on_the_replica():
    assert router.allow_migrate(REPLICA, "ledger") is False
    assert router.allow_migrate("default", "ledger") is True


def test_the_ledger_export_reads_the_replica(client_for):
    """Declared but not connected in the test run: reading it is what fails."""
    from django.urls import reverse

    client = client_for("gd-intake")
    url = reverse("ledger:list") + "?format=csv"
    assert client.get(url).status_code == 200  # without a replica, from the primary
    with with_replica(), pytest.raises(ConnectionDoesNotExist, match=REPLICA):
        b"".join(client.get(url).streaming_content)


def test_a_streamed_export_keeps_reading_the_replica_while_it_is_sent():
    seen = []

    def rows():
        for _ in range(2):
            seen.append(router.db_for_read(LedgerItem))
            yield b"row\n"

    @reads_from_replica
    def export(request):
        return StreamingHttpResponse(rows())

    @reads_from_replica
    def page(request):
        seen.append(router.db_for_read(LedgerItem))
        return HttpResponse("page")

    with with_replica():
        response = export(None)
        assert seen == []  # nothing read yet: the rows are read while sending
        assert b"".join(response.streaming_content) == b"row\nrow\n"
        page(None)
        assert router.db_for_read(LedgerItem) is None
    assert seen == [REPLICA, REPLICA, REPLICA]


def test_the_dashboards_and_exports_are_the_views_that_read_the_replica():
    from qingqian.supervision.cases.views import case_export
    from qingqian.supervision.dashboard.views import dashboard_page, facts_page

    for view in (dashboard_page, facts_page, case_export):
        assert getattr(view, "reads_from_replica", False), view.__name__

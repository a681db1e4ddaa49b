"""A worker killed mid-import: the queue's retry takes over the import that the
dead run left running, and starts from nothing."""

import io
import os
from datetime import timedelta

import pytest
from django.utils import timezone

from qingqian.accounts.models import Organisation
from qingqian.core.models import AuditEvent
from qingqian.ledger import imports
from qingqian.ledger.imports.progress import progress_path
from qingqian.ledger.imports.run import LEASE, ImportRunningElsewhere, run_is_dead
from qingqian.ledger.models import LedgerImport, LedgerItem
from tests.ledger.test_importing import DEBTOR, csv_bytes, row

State = LedgerImport.State


@pytest.fixture
def left_running(user, db):
    """An upload claimed by a run `ago` before now, with its progress file
    last written `progress_ago` before now (None: no file)."""

    def make(ago: timedelta, progress_ago: timedelta | None = None) -> LedgerImport:
        record = imports.ledger_import_upload(
            actor=user("gd-intake"),
            owner=Organisation.objects.get(name="广东省中小企业主管部门"),
            fileobj=io.BytesIO(csv_bytes([row(n) for n in range(3)])),
            original_name="return.csv",
        )
        now = timezone.now()
        LedgerImport.objects.filter(pk=record.pk).update(state=State.RUNNING, started_at=now - ago)
        if progress_ago is not None:
            path = progress_path(record)
            path.write_text('{"fraction": 0.4, "rows": 2}')
            stamp = (now - progress_ago).timestamp()
            os.utime(path, (stamp, stamp))
        return LedgerImport.objects.get(pk=record.pk)

    return make


def test_a_run_is_dead_when_neither_its_claim_nor_its_progress_is_recent(left_running):
    now = timezone.now()
    long_ago, just_now = LEASE + timedelta(seconds=5), timedelta(seconds=5)
    assert run_is_dead(left_running(long_ago), now)
    assert run_is_dead(left_running(long_ago, progress_ago=long_ago), now)
    assert not run_is_dead(left_running(just_now), now)  # claimed, no progress yet
    assert not run_is_dead(left_running(long_ago, progress_ago=just_now), now)


def test_the_retry_reclaims_an_import_whose_run_died_and_completes_it(left_running):
    record = left_running(LEASE * 2, progress_ago=LEASE * 2)
    record = imports.ledger_import_run(record)
    assert (record.state, record.created_count) == (State.DONE, 3)
    assert LedgerItem.objects.filter(debtor__uscc=DEBTOR).count() == 3
    assert not progress_path(record).exists()
    started = AuditEvent.objects.filter(
        verb="ledger.import_started", target_id=str(record.pk)
    ).get()
    assert "reclaimed_from" in started.payload


def test_a_retry_leaves_a_live_run_alone_and_asks_to_be_tried_later(left_running):
    record = left_running(timedelta(seconds=5), progress_ago=timedelta(seconds=1))
    with pytest.raises(ImportRunningElsewhere):
        imports.ledger_import_run(record)
    record.refresh_from_db()
    assert record.state == State.RUNNING
    assert not LedgerItem.objects.filter(debtor__uscc=DEBTOR).exists()
    assert progress_path(record).exists()  # the live run's file is its own


def test_of_two_retries_only_one_reclaims(left_running):
    from qingqian.ledger.imports.run import ledger_import_reclaim

    record = left_running(LEASE * 2)
    assert ledger_import_reclaim(record=record)
    assert not ledger_import_reclaim(record=record)  # it saw the dead run's claim time

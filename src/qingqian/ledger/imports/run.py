"""Bulk import of ledger returns: all or nothing per file, idempotent, streaming.

`ledger_import_upload` stores the file and queues the import; `ledger_import_run`
(a background task, or the CLI directly) runs it in two passes:

1. Check, outside any transaction, reading only the database: the file is
   read and every row validated, parties are compared with the register and
   changes with the items the ledger holds. Every bad row is collected. The
   rows that would be applied are staged, batch by batch, in temporary tables
   (`staging`) with what the apply needs of them worked out; nothing of them
   stays in memory.
2. Apply, only if the check found nothing wrong: one transaction writes the
   new rows from the staging tables in sets (parties, items, payments,
   totals), brings the items the ledger already holds in line row by row
   (only counting the rows the check found would change nothing, while their
   items are as the check saw them), and writes the audit events: one per
   batch naming (by contract key or credit code) every row it created or
   changed, and one for the file. What changed
   since the check is checked again (a payment recorded meanwhile, rows that
   disagree about a party the file registers): a row refused now rolls
   everything back and is reported like any other.

On SQLite, where one transaction writes at a time, the check (all of the time
of a file that is refused) does not hold the writer, staging included: the
temporary tables are the connection's own database. While the apply does,
other writers wait, then get 503 (qingqian.core.sqlite_backend.busy). Keeping
the checked rows in memory instead would take about 1 kB a row (2 GB for the
2,000,000 rows a file may have); reading the file again in the apply would
validate every row twice, the second time while holding the writer.

A worker killed mid-run leaves the import running; the queue retries the
task, and the retry takes the import over (reclaim) once the dead run's lease
has lapsed: no progress written for `LEASE` since the later of its claim and
its last progress. The dead run's transaction was never committed, so the
retry starts from nothing. A retry that finds the run still alive raises
ImportRunningElsewhere, for the queue to try again later. Should a run
thought dead still be alive, the two cannot both write: whichever commits
second finds the import no longer running at its `finish` and rolls back.

Rows are matched on debtor + creditor + contract number, so the same file
imported twice changes nothing the second time. Any bad row (or a bad file)
leaves nothing written but an error report listing every bad row. Progress is
written to a small file beside the upload: the apply holds the database's
writer on SQLite, so the database cannot be the channel.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from qingqian.core import audit
from qingqian.ledger import verbs
from qingqian.ledger.imports.apply import BatchApplier, BatchChecker
from qingqian.ledger.imports.progress import Progress, last_progress_at, progress_path
from qingqian.ledger.imports.reader import LedgerReader, read_ledger_file
from qingqian.ledger.imports.refusal import FileRefused
from qingqian.ledger.imports.rows import RowError
from qingqian.ledger.imports.staging import Staging
from qingqian.ledger.imports.transitions import move, move_or_refuse, move_where
from qingqian.ledger.imports.upload import import_scope, imports_dir
from qingqian.ledger.models import LedgerImport, LedgerImportError

# A live run writes its progress file at every batch of 5,000 rows (seconds
# apart at most); a run silent this long has died. RQ notices a dead worker after 90 s
# and retries 30 s later: by then the lease has lapsed.
LEASE = timedelta(seconds=90)
MAX_STORED_ERRORS = 100_000  # the report names every bad row up to this many
CHECK_SHARE = 0.5  # of an import's time (and progress bar) that the check takes


@dataclass
class Outcome:
    counts: Counter = field(default_factory=Counter)
    errors: list[RowError] = field(default_factory=list)
    refusal: str = ""
    rows_read: int = 0
    error_count: int = 0  # all of them; `errors` may stop at the reader's limit

    @property
    def refused(self) -> bool:
        return bool(self.error_count or self.refusal)


class Refused(Exception):
    """Raised inside the apply transaction to roll everything back."""


class ImportRunningElsewhere(Exception):
    """Another run holds the import and is alive: try again later."""


def ledger_import_run(
    record: LedgerImport, *, on_progress: Callable[[float, int], None] | None = None
) -> LedgerImport:
    """Check and apply a stored return; all or nothing. Safe to call again."""
    claimed = ledger_import_start(record=record)
    record = LedgerImport.objects.get(pk=record.pk)
    if not claimed:
        if record.state != LedgerImport.State.RUNNING:
            return record  # finished
        if not ledger_import_reclaim(record=record):
            raise ImportRunningElsewhere(f"ledger import {record.pk} is running")
        record = LedgerImport.objects.get(pk=record.pk)
    progress = Progress(record, on_progress)
    outcome = Outcome()
    try:
        with Staging(record) as staging:
            _check_file(record, outcome, staging, progress)
            if not outcome.refused:
                _apply_checked(record, outcome, staging, progress)
        if outcome.refused:
            with transaction.atomic():
                _finish(record, outcome, "refuse")
    except Exception as error:
        ledger_import_fail(record=record, error=error)
        raise
    finally:
        progress_path(record).unlink(missing_ok=True)
    record.refresh_from_db()
    return record


# The state changes the system makes (worker or CLI): actor None in the audit log.


@transaction.atomic
def ledger_import_start(*, record: LedgerImport) -> bool:
    """Claim a queued (or failed) import; False when it runs elsewhere or is finished."""
    claimed = move(record, "start", started_at=timezone.now())
    if claimed:
        audit.record(actor=None, verb=verbs.IMPORT_STARTED, target=record)
    return claimed


@transaction.atomic
def ledger_import_reclaim(*, record: LedgerImport) -> bool:
    """Take over a running import whose run has died (no sign of life for
    `LEASE`); False while that run is alive, or when another retry took it
    first (the update matches the claim time this one saw)."""
    if not run_is_dead(record, timezone.now()):
        return False
    reclaimed = LedgerImport.objects.filter(pk=record.pk, started_at=record.started_at)
    if not move_where(reclaimed, "reclaim", started_at=timezone.now()):
        return False
    audit.record(
        actor=None,
        verb=verbs.IMPORT_STARTED,
        target=record,
        payload={"reclaimed_from": record.started_at.isoformat() if record.started_at else None},
    )
    return True


def run_is_dead(record: LedgerImport, now) -> bool:
    """The run holding `record` has shown no sign of life (its claim, its
    progress file) for `LEASE`."""
    signs = [record.started_at, last_progress_at(record)]
    latest = max((sign for sign in signs if sign is not None), default=None)
    return latest is None or now - latest > LEASE


@transaction.atomic
def ledger_import_fail(*, record: LedgerImport, error: Exception) -> None:
    """An import stopped by an error of ours (not of its file): it may be run
    again. One that finished before the error stays as it finished."""
    if not move(record, "fail", finished_at=timezone.now()):
        return
    audit.record(
        actor=None,
        verb=verbs.IMPORT_FAILED,
        target=record,
        payload={"error": type(error).__name__},
    )


# --- check (no transaction: reads only) ----------------------------------------------


def _check_file(
    record: LedgerImport, outcome: Outcome, staging: Staging, progress: Progress
) -> None:
    """Read and check the whole file, staging the rows to apply; writes nothing
    but the staging tables."""
    checker = BatchChecker(record)
    with open(imports_dir() / record.stored_name, "rb") as fileobj:
        try:
            reader = read_ledger_file(
                fileobj,
                record.original_name,
                scope=import_scope(record.owner),
                today=timezone.localdate(),
            )
            for batch in reader:
                good, held = checker.check(batch)
                if not reader.error_count and not checker.errors:  # else nothing is applied
                    staging.add(good, held, checker.enterprises)
                progress(reader.fraction_done * CHECK_SHARE, reader.rows_read)
        except FileRefused as refusal:
            outcome.refusal = str(refusal)
            return
    _add_check_results(outcome, reader, checker)


def _add_check_results(outcome: Outcome, reader: LedgerReader, checker: BatchChecker) -> None:
    outcome.rows_read = reader.rows_read
    outcome.errors = [*reader.errors, *checker.errors]
    outcome.error_count = reader.error_count + len(checker.errors)


# --- apply (one transaction) ---------------------------------------------------------


def _apply_checked(
    record: LedgerImport, outcome: Outcome, staging: Staging, progress: Progress
) -> None:
    """Apply the checked rows, all or nothing. A row the ledger now refuses (it
    changed since the check) rolls everything back and is reported."""
    applier = BatchApplier(record)
    try:
        with transaction.atomic():
            for done in staging.apply(applier):
                if applier.errors:
                    raise Refused
                progress(CHECK_SHARE + (1 - CHECK_SHARE) * done, outcome.rows_read)
            outcome.counts = applier.counts
            _finish(record, outcome, "finish")
    except Refused:
        outcome.errors = applier.errors
        outcome.error_count = len(applier.errors)


def _finish(record: LedgerImport, outcome: Outcome, action: str) -> None:
    """End a running import by `action` ("finish" or "refuse"), with its
    figures and its error report."""
    errors = sorted(outcome.errors, key=lambda error: (error.row, error.column))
    LedgerImportError.objects.bulk_create(
        (
            LedgerImportError(
                ledger_import=record,
                row=error.row,
                column=error.column[:40],
                value=str(error.value)[:200],
                reason=str(error.reason)[:300],
            )
            for error in errors[:MAX_STORED_ERRORS]
        ),
        batch_size=2000,
    )
    done = action == "finish"
    counts = outcome.counts if done else Counter()
    move_or_refuse(
        record,
        action,
        progress=1.0,
        rows_read=outcome.rows_read,
        created_count=counts["created"],
        updated_count=counts["updated"],
        unchanged_count=counts["unchanged"],
        error_count=max(outcome.error_count, len(errors)),
        message=outcome.refusal[:1000],
        finished_at=timezone.now(),
    )
    audit.record(
        actor=record.uploaded_by,
        verb=verbs.IMPORT if done else verbs.IMPORT_REFUSED,
        target=record,
        payload={
            "sha256": record.sha256,
            "name": record.original_name,
            "rows": outcome.rows_read,
            "errors": max(outcome.error_count, len(errors)),
            "refusal": outcome.refusal,
            **counts,
        },
    )

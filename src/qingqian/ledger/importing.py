"""Bulk import of ledger returns: all or nothing per file, idempotent, streaming.

`ledger_import_upload` stores the file and queues the import; `ledger_import_run`
(a background task, or the CLI directly) runs it in two passes:

1. Check, outside any transaction, reading only: the file is read and every
   row validated, parties are compared with the register and changes with
   the items the ledger holds. Every bad row is collected. The rows that would be
   applied go, batch by batch, into a spool file beside the uploads (their
   pickled fields; nothing of them stays in memory).
2. Apply, only if the check found nothing wrong: one transaction reads the
   spool back and inserts and updates, registers the parties, keeps the
   totals and writes the audit events: one per batch naming (by contract key
   or credit code) every row it created or changed, and one for the file. It
   checks each row against the ledger again (a payment may have been recorded
   since the check, and rows may
   disagree about a party the file registers): a row refused now rolls
   everything back and is reported like any other.

On SQLite, where one transaction writes at a time, the check (about half of
an import's time, all of it for a file that is refused) no longer holds the
writer; while the apply does, other writers get 503 (qingqian.core.sqlite_backend.busy).
Keeping the checked rows in memory instead would take about 1 kB a row (2 GB
for the 2,000,000 rows a file may have); reading the file again in the apply
would validate every row twice, the second time while holding the writer.
Measured with bench/ledger_import.py at 200,000 rows: peak RSS 156 MB; the
spool takes about 180 bytes a row on disk.

Rows are matched on debtor + creditor + contract number, so the same file
imported twice changes nothing the second time. Any bad row (or a bad file)
leaves nothing written but an error report listing every bad row. Progress is
written to a small file beside the upload: the apply holds the database's
writer on SQLite, so the database cannot be the channel.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle  # nosec B403 # only our own spool file, see _checked_batches
import secrets
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.accounts.models import Organisation
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core import audit
from qingqian.core.bulk import insert_rows
from qingqian.core.money import to_yuan_str
from qingqian.core.regions import is_valid_region_code, province_code_of
from qingqian.core.scoping import EVERYTHING, Scope, region_prefix
from qingqian.ledger.models import (
    Category,
    Confirmation,
    LedgerImport,
    LedgerImportError,
    LedgerItem,
    Payment,
    PaymentMethod,
    Source,
    Status,
)
from qingqian.ledger.readers import FileRefused, LedgerReader, read_ledger_file
from qingqian.ledger.rows import LedgerRow, RowError
from qingqian.ledger.services import (
    close_plans,
    confirmation_kind,
    derived_status,
    status_from_amounts,
)
from qingqian.ledger.totals import Snapshot, TotalsDelta
from qingqian.parties.models import Enterprise
from qingqian.parties.services import enterprises_register_bulk
from qingqian.parties.vocabulary import Notified

MAX_STORED_ERRORS = 100_000  # the report names every bad row up to this many
CHECK_SHARE = 0.5  # of an import's time (and progress bar) that the check takes
# What a later return may change on an existing item (payments go their own way).
UPDATABLE = ("owed_fen", "disputed_fen", "due_on", "subject", "contract_signed_on", "notes")


def max_upload_bytes() -> int:
    return getattr(settings, "QINGQIAN_LEDGER_IMPORT_MAX_MB", 500) * 1024 * 1024


def imports_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "ledger-imports"


def import_scope(owner: Organisation) -> Scope:
    """The regions an organisation's ledger may hold: its own jurisdiction."""
    prefix = region_prefix(owner.region_code)
    return EVERYTHING if prefix == "" else Scope(region_prefix=prefix)


def may_import(actor, owner: Organisation) -> bool:
    if actor is None:
        return True
    if not has_perm(actor, Perm.LEDGER_KEEP) or actor.organisation_id is None:
        return False
    return owner.path.startswith(actor.organisation.path)


# --- upload ------------------------------------------------------------------------


@transaction.atomic
def ledger_import_upload(*, actor, owner: Organisation, fileobj, original_name: str):
    """Store an uploaded return under a random name and queue its import."""
    if not may_import(actor, owner):
        raise PermissionDenied(_("You may not import ledgers for this organisation."))
    stored_name, size, sha256 = _store(fileobj)
    record = LedgerImport.objects.create(
        owner=owner,
        uploaded_by=actor if actor is not None else None,
        original_name=Path(original_name).name[:255],
        stored_name=stored_name,
        sha256=sha256,
        size=size,
    )
    audit.record(
        actor=actor,
        verb="ledger.import_upload",
        target=record,
        payload={"name": record.original_name, "sha256": sha256, "size": size},
    )
    return record


def _store(fileobj) -> tuple[str, int, str]:
    imports_dir().mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16)
    digest, size = hashlib.sha256(), 0
    with open(imports_dir() / stored_name, "wb") as out:
        for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
            size += len(chunk)
            if size > max_upload_bytes():
                out.close()
                (imports_dir() / stored_name).unlink()
                raise ValidationError(
                    {
                        "file": _("The file is larger than %(mb)d MB.")
                        % {"mb": max_upload_bytes() // 2**20}
                    }
                )
            digest.update(chunk)
            out.write(chunk)
    if size == 0:
        (imports_dir() / stored_name).unlink()
        raise ValidationError({"file": _("The file is empty.")})
    return stored_name, size, digest.hexdigest()


# --- progress ----------------------------------------------------------------------


def progress_path(record: LedgerImport) -> Path:
    return imports_dir() / f"{record.stored_name}.progress.json"


def read_progress(record: LedgerImport) -> dict:
    """{"fraction": 0..1, "rows": n} while running; the record's own figures otherwise."""
    if record.state == LedgerImport.State.RUNNING:
        try:
            return json.loads(progress_path(record).read_text())
        except (OSError, ValueError):
            pass
    finished = record.state in (LedgerImport.State.DONE, LedgerImport.State.REFUSED)
    return {"fraction": 1.0 if finished else 0.0, "rows": record.rows_read}


def _write_progress(record: LedgerImport, fraction: float, rows: int) -> None:
    path = progress_path(record)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"fraction": round(fraction, 4), "rows": rows}))
    os.replace(temporary, path)  # readers never see half a file


# --- run ---------------------------------------------------------------------------


@dataclass
class Outcome:
    counts: Counter = field(default_factory=Counter)
    errors: list[RowError] = field(default_factory=list)
    refusal: str = ""
    rows_read: int = 0
    error_count: int = 0  # all of them; `errors` may stop at the reader's limit
    batches: int = 0  # of checked rows in the spool

    @property
    def refused(self) -> bool:
        return bool(self.error_count or self.refusal)


class Refused(Exception):
    """Raised inside the apply transaction to roll everything back."""


def ledger_import_run(
    record: LedgerImport, *, on_progress: Callable[[float, int], None] | None = None
) -> LedgerImport:
    """Check and apply a stored return; all or nothing. Safe to call again."""
    claimed = ledger_import_start(record=record)
    record = LedgerImport.objects.get(pk=record.pk)
    if not claimed:  # running elsewhere, or finished
        return record
    progress = Progress(record, on_progress)
    outcome = Outcome()
    try:
        with _spool() as checked:
            _check_file(record, outcome, checked, progress)
            if not outcome.refused:
                _apply_checked(record, outcome, checked, progress)
        if outcome.refused:
            with transaction.atomic():
                _finish(record, outcome, LedgerImport.State.REFUSED)
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
    claimed = LedgerImport.objects.filter(
        pk=record.pk, state__in=(LedgerImport.State.QUEUED, LedgerImport.State.FAILED)
    ).update(state=LedgerImport.State.RUNNING)
    if claimed:
        audit.record(actor=None, verb="ledger.import_started", target=record)
    return bool(claimed)


@transaction.atomic
def ledger_import_fail(*, record: LedgerImport, error: Exception) -> None:
    """An import stopped by an error of ours (not of its file): it may be run again."""
    LedgerImport.objects.filter(pk=record.pk).update(
        state=LedgerImport.State.FAILED, finished_at=timezone.now()
    )
    audit.record(
        actor=None,
        verb="ledger.import_failed",
        target=record,
        payload={"error": type(error).__name__},
    )


class Progress:
    """Reports how far the import is, to the progress file and to the caller."""

    def __init__(self, record: LedgerImport, on_progress):
        self.record = record
        self.on_progress = on_progress

    def __call__(self, fraction: float, rows: int) -> None:
        _write_progress(self.record, fraction, rows)
        if self.on_progress is not None:
            self.on_progress(fraction, rows)


# --- check (no transaction: reads only) ----------------------------------------------


@contextmanager
def _spool() -> Iterator:
    """An anonymous file beside the uploads (the volume sized for them)."""
    imports_dir().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=imports_dir()) as spool:
        yield spool


def _check_file(record: LedgerImport, outcome: Outcome, spool, progress: Progress) -> None:
    """Read and check the whole file, spooling the rows to apply; writes nothing."""
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
                good = checker.check(batch)
                if not reader.error_count and not checker.errors:  # else nothing is applied
                    pickle.dump([vars(row) for row in good], spool, pickle.HIGHEST_PROTOCOL)
                    outcome.batches += 1
                progress(reader.fraction_done * CHECK_SHARE, reader.rows_read)
        except FileRefused as refusal:
            outcome.refusal = str(refusal)
            return
    _add_check_results(outcome, reader, checker)


def _add_check_results(outcome: Outcome, reader: LedgerReader, checker: BatchChecker) -> None:
    outcome.rows_read = reader.rows_read
    outcome.errors = [*reader.errors, *checker.errors]
    outcome.error_count = reader.error_count + len(checker.errors)


def _checked_batches(spool, count: int) -> Iterator[list[LedgerRow]]:
    """The spooled batches again. Our own file, written by this process just
    before: unpickling it runs nothing that an upload could have chosen."""
    spool.seek(0)
    for _batch in range(count):
        yield [LedgerRow._from_checked(row_fields) for row_fields in pickle.load(spool)]  # nosec B301 # our spool


# --- apply (one transaction) ---------------------------------------------------------


def _apply_checked(record: LedgerImport, outcome: Outcome, spool, progress: Progress) -> None:
    """Apply the checked rows, all or nothing. A row the ledger now refuses (it
    changed since the check) rolls everything back and is reported."""
    applier = BatchApplier(record)
    try:
        with transaction.atomic():
            for done, batch in enumerate(_checked_batches(spool, outcome.batches), start=1):
                applier.apply(batch)
                if applier.errors:
                    raise Refused
                share = (1 - CHECK_SHARE) * done / outcome.batches
                progress(CHECK_SHARE + share, outcome.rows_read)
            outcome.counts = applier.counts
            _finish(record, outcome, LedgerImport.State.DONE)
    except Refused:
        outcome.errors = applier.errors
        outcome.error_count = len(applier.errors)


def _finish(record: LedgerImport, outcome: Outcome, state: str) -> None:
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
    counts = outcome.counts if state == LedgerImport.State.DONE else Counter()
    LedgerImport.objects.filter(pk=record.pk).update(
        state=state,
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
        verb="ledger.import" if state == LedgerImport.State.DONE else "ledger.import_refused",
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


# --- applying batches ----------------------------------------------------------------


class LedgerMatcher:
    """What checking and applying share: the register's parties and the items a
    batch of rows names, and the rules a row may not break against them."""

    lock_items = False

    def __init__(self, record: LedgerImport):
        self.record = record
        self.enterprises: dict[str, tuple[int, str, str]] = {}  # USCC → (id, type, region)
        self.errors: list[RowError] = []

    def _key(self, row: LedgerRow) -> tuple[int, int, str]:
        return (
            self.enterprises[row.debtor_uscc][0],
            self.enterprises[row.creditor_uscc][0],
            row.contract_number,
        )

    def _load_enterprises(self, usccs) -> None:
        for chunk in _chunks(sorted(usccs), 900):
            found = Enterprise.objects.filter(uscc__in=chunk).values_list(
                "pk", "uscc", "type", "region_code"
            )
            for pk, uscc, kind, region in found:
                self.enterprises[uscc] = (pk, kind, region)

    def _parties_agree(self, row: LedgerRow) -> bool:
        """A row may not contradict what the register says about its parties: the
        item's region is the debtor's, so a row cannot move a debt elsewhere."""
        ok = True
        unknown = (None, row.debtor_type, row.region_code)  # not registered: nothing to contradict
        _pk, debtor_type, debtor_region = self.enterprises.get(row.debtor_uscc, unknown)
        if debtor_region != row.region_code:
            self._error(
                row,
                "region_code",
                row.region_code,
                _("The register places this debtor in region %(region)s.")
                % {"region": debtor_region},
            )
            ok = False
        if debtor_type != row.debtor_type:
            self._error(
                row,
                "debtor_type",
                row.debtor_type,
                _("The register records this debtor as %(type)s.")
                % {"type": Enterprise.Type(debtor_type).label},
            )
            ok = False
        creditor = self.enterprises.get(row.creditor_uscc, (None, Enterprise.Type.SME, ""))
        if creditor[1] != Enterprise.Type.SME:
            self._error(
                row,
                "creditor_uscc",
                row.creditor_uscc,
                _("The register does not record this creditor as an SME."),
            )
            ok = False
        return ok

    def _existing_items(self, rows: list[LedgerRow]) -> dict[tuple, LedgerItem]:
        """The items these rows name that the ledger already holds, by key."""
        found = {}
        lock = self.lock_items and connection.features.has_select_for_update
        for chunk in _chunks([self._key(row) for row in rows], 1000):
            # A join, not "(a, b, c) IN (VALUES ...)": SQLite scans the whole table
            # for the latter, but looks each key up in the unique index here.
            keys = ", ".join(["(%s, %s, %s)"] * len(chunk))
            matching = LedgerItem.objects.raw(
                f"WITH batch (debtor_id, creditor_id, contract_number) AS (VALUES {keys}) "
                f"SELECT item.* FROM batch JOIN {ITEM_TABLE} item "  # nosec B608 # placeholders
                "ON item.debtor_id = batch.debtor_id AND item.creditor_id = batch.creditor_id "
                "AND item.contract_number = batch.contract_number"
                # Lock them against concurrent payments (SQLite has one writer anyway).
                + (" FOR UPDATE OF item" if lock else ""),
                [value for key in chunk for value in key],
            )
            for item in matching:
                found[(item.debtor_id, item.creditor_id, item.contract_number)] = item
        return found

    def _update_refused(self, item: LedgerItem, row: LedgerRow) -> bool:
        """Whether the ledger refuses this row's change to the item (and why, reported)."""
        if item.status == Status.WRITTEN_OFF and self._differs(item, row):
            self._error(
                row,
                "contract_number",
                row.contract_number,
                _("A court ruling wrote this item off: it cannot be changed by a return."),
            )
            return True
        if row.paid_fen < item.paid_fen:
            self._error(
                row,
                "amount_paid",
                to_yuan_str(row.paid_fen),
                _("The ledger already records more paid than this row: reverse payments instead."),
            )
            return True
        return False

    @staticmethod
    def _differs(item: LedgerItem, row: LedgerRow) -> bool:
        return row.paid_fen != item.paid_fen or any(
            getattr(item, name) != getattr(row, name) for name in UPDATABLE
        )

    def _error(self, row: LedgerRow, column: str, value, reason: str) -> None:
        self.errors.append(RowError(row=row.line, column=column, value=str(value), reason=reason))


class BatchChecker(LedgerMatcher):
    """Finds what the apply would refuse, reading only. A party not yet
    registered has nothing to contradict here; two rows of one file that
    disagree about a new party are caught by the apply (once one of them has
    registered it) and reported from there, as before the check existed."""

    def check(self, rows: list[LedgerRow]) -> list[LedgerRow]:
        """The rows the apply would accept; the others are reported."""
        wanted = {row.debtor_uscc for row in rows} | {row.creditor_uscc for row in rows}
        self._load_enterprises(wanted - self.enterprises.keys())
        good = [row for row in rows if self._parties_agree(row)]
        registered = [
            row
            for row in good
            if row.debtor_uscc in self.enterprises and row.creditor_uscc in self.enterprises
        ]
        existing = self._existing_items(registered)
        refused = {
            row.line
            for row in registered
            if (item := existing.get(self._key(row))) and self._update_refused(item, row)
        }
        return [row for row in good if row.line not in refused]


class BatchApplier(LedgerMatcher):
    """Turns checked rows into enterprises, items and payments, batch by batch.

    New rows go in with one `executemany` per table (the ORM's per-object
    work was most of an import's time); existing items are found (and locked,
    on PostgreSQL) with one indexed lookup per batch and updated through the model.
    """

    lock_items = True

    def __init__(self, record: LedgerImport):
        super().__init__(record)
        self.counts: Counter = Counter()
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.cleared: list[int] = []  # updated items now cleared: their plans are done
        # What this batch created and changed, by model: its audit event names them.
        self.created: defaultdict[str, list] = defaultdict(list)
        self.updated: defaultdict[str, list] = defaultdict(list)

    def apply(self, rows: list[LedgerRow]) -> None:
        self.created.clear()
        self.updated.clear()
        self._resolve_enterprises(rows)
        rows = [row for row in rows if self._parties_agree(row)]
        existing = self._existing_items(rows)
        delta = TotalsDelta()
        new_rows, changed = [], []
        for row in rows:
            item = existing.get(self._key(row))
            if item is None:
                new_rows.append(row)
            elif self._update(item, row, delta):
                changed.append(item)
            else:
                self.counts["unchanged"] += 1
        if self.errors:
            return
        self._create(new_rows, delta)
        if changed:
            LedgerItem.objects.bulk_update(
                changed, [*UPDATABLE, "paid_fen", "status", "updated_at"], batch_size=500
            )
            self.counts["updated"] += len(changed)
            close_plans(self.cleared)
            self.cleared = []
        delta.apply()
        self._record_batch()

    def _record_batch(self) -> None:
        """One audit event per batch, naming by contract key (debtor and creditor
        credit codes, contract number) every row it created or changed."""
        if not (self.created or self.updated):
            return
        audit.record(
            actor=self.record.uploaded_by,
            verb="ledger.import_batch",
            target=self.record,
            payload={"created": dict(self.created), "updated": dict(self.updated)},
        )

    # parties

    def _resolve_enterprises(self, rows: list[LedgerRow]) -> None:
        wanted = {row.debtor_uscc for row in rows} | {row.creditor_uscc for row in rows}
        self._load_enterprises(wanted - self.enterprises.keys())
        new = {}
        for row in rows:
            if row.debtor_uscc not in self.enterprises:
                new[row.debtor_uscc] = (row.debtor_name, row.debtor_type, row.region_code)
            if row.creditor_uscc not in self.enterprises:
                region = _region_of_uscc(row.creditor_uscc, row.region_code)
                new[row.creditor_uscc] = (row.creditor_name, Enterprise.Type.SME, region)
        enterprises_register_bulk(actor=self.record.uploaded_by, parties=new, source=self.record)
        self._load_enterprises(new.keys())
        self.counts["enterprises_registered"] += len(new)

    # items

    def _create(self, rows: list[LedgerRow], delta: TotalsDelta) -> None:
        if not rows:
            return
        ops = connection.ops
        now = ops.adapt_datetimefield_value(self.now)
        items, payments = [], []
        for row in rows:
            debtor_id, creditor_id, number = self._key(row)
            status = status_from_amounts(row.owed_fen, row.paid_fen)
            province = _province_of(row.region_code)
            category = Category.DISPUTED if row.disputed_fen else Category.UNDISPUTED
            items.append(
                (
                    self.record.owner_id,
                    row.region_code,
                    province,
                    debtor_id,
                    row.debtor_type,
                    creditor_id,
                    number,
                    ops.adapt_datefield_value(row.contract_signed_on),
                    row.subject,
                    ops.adapt_datefield_value(row.due_on),
                    row.owed_fen,
                    row.paid_fen,
                    row.disputed_fen,
                    status,
                    Source.IMPORT,
                    Notified.UNKNOWN,
                    row.notes,
                    now,
                    now,
                )
            )
            self.created[ITEM].append(_contract_key(row))
            if row.paid_fen:
                payments.append((debtor_id, creditor_id, number, row.paid_fen))
                self.created[PAYMENT].append(_contract_key(row))
            delta.add(
                Snapshot(
                    (row.region_code, province, row.debtor_type, status, category),
                    row.owed_fen,
                    row.paid_fen,
                    row.disputed_fen,
                )
            )
        insert_rows(LedgerItem, ITEM_FIELDS, items)
        self._create_reported_payments(payments, now)
        self.counts["created"] += len(rows)

    def _create_reported_payments(self, payments: list[tuple], now) -> None:
        """What the return says was paid before entry, one payment per item."""
        today = connection.ops.adapt_datefield_value(self.today)
        note = self.record.original_name[:500]
        uploader = self.record.uploaded_by_id
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {PAYMENT_TABLE} (item_id, paid_on, amount_fen, method, "
                "reference, note, recorded_by_id, recorded_at) "  # nosec B608 # table name from _meta; values are bound parameters
                f"VALUES ((SELECT id FROM {ITEM_TABLE} WHERE debtor_id = %s AND creditor_id = %s "
                "AND contract_number = %s), %s, %s, %s, '', %s, %s, %s)",
                [
                    (
                        debtor,
                        creditor,
                        number,
                        today,
                        amount,
                        PaymentMethod.REPORTED,
                        note,
                        uploader,
                        now,
                    )
                    for debtor, creditor, number, amount in payments
                ],
            )

    def _update(self, item: LedgerItem, row: LedgerRow, delta: TotalsDelta) -> bool:
        """Bring an existing item in line with the row; False when nothing differs."""
        wanted = {name: getattr(row, name) for name in UPDATABLE}
        differs = {name for name, value in wanted.items() if getattr(item, name) != value}
        if not differs and row.paid_fen == item.paid_fen:
            return False
        if self._update_refused(item, row):
            return False
        before = Snapshot.of(item)
        for name in differs:
            setattr(item, name, wanted[name])
        if row.paid_fen > item.paid_fen:
            Payment.objects.create(
                item=item,
                paid_on=self.today,
                amount_fen=row.paid_fen - item.paid_fen,
                method=PaymentMethod.REPORTED,
                recorded_by_id=self.record.uploaded_by_id,
                note=self.record.original_name[:500],
            )
            item.paid_fen = row.paid_fen
            self.created[PAYMENT].append(_contract_key(row))
        if "disputed_fen" in differs:  # what the return says the debtor disputes, on record
            Confirmation.objects.create(
                item=item,
                kind=confirmation_kind(item.disputed_fen),
                disputed_fen=item.disputed_fen,
                note=self.record.original_name[:1000],
                actor_id=self.record.uploaded_by_id,
            )
            self.created[CONFIRMATION].append(_contract_key(row))
        item.status = derived_status(item)
        item.updated_at = timezone.now()
        if item.status == Status.CLEARED:
            self.cleared.append(item.pk)
        delta.move(before, Snapshot.of(item))
        self.updated[ITEM].append(_contract_key(row))
        return True


ITEM, PAYMENT, CONFIRMATION = (
    model._meta.label_lower for model in (LedgerItem, Payment, Confirmation)
)
ITEM_TABLE = LedgerItem._meta.db_table
PAYMENT_TABLE = Payment._meta.db_table
ITEM_FIELDS = (
    "owner",
    "region_code",
    "province_code",
    "debtor",
    "debtor_type",
    "creditor",
    "contract_number",
    "contract_signed_on",
    "subject",
    "due_on",
    "owed_fen",
    "paid_fen",
    "disputed_fen",
    "status",
    "source",
    "sme_notified_at_signing",
    "notes",
    "created_at",
    "updated_at",
)


def _contract_key(row: LedgerRow) -> list[str]:
    """How an import names an item (and its payment or confirmation): its match key."""
    return [row.debtor_uscc, row.creditor_uscc, row.contract_number]


@lru_cache(maxsize=4096)
def _province_of(region_code: str) -> str:
    return province_code_of(region_code)


def _region_of_uscc(uscc: str, fallback: str) -> str:
    """Characters 3-8 of a credit code are the registering authority's region."""
    region = uscc[2:8]
    return region if is_valid_region_code(region) else fallback


def _chunks(values: list, size: int):
    for start in range(0, len(values), size):
        yield values[start : start + size]

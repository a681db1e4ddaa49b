"""Bulk import of ledger returns: all or nothing per file, idempotent, streaming.

`ledger_import_upload` stores the file and queues the import; `ledger_import_run`
(a background task, or the CLI directly) reads it in batches inside one
transaction. Rows are matched on debtor + creditor + contract number, so the
same file imported twice changes nothing the second time. Any bad row (or a
bad file) rolls everything back and leaves an error report listing every bad
row. Progress is written to a small file beside the upload: the import's own
transaction holds the database's writer on SQLite, so it cannot be the channel.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.accounts.models import Organisation
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core import audit
from qingqian.core.money import to_yuan_str
from qingqian.core.regions import is_valid_region_code, province_code_of
from qingqian.core.scoping import EVERYTHING, Scope, region_prefix
from qingqian.ledger.models import (
    LedgerImport,
    LedgerImportError,
    LedgerItem,
    Payment,
    PaymentMethod,
    Source,
)
from qingqian.ledger.readers import FileRefused, read_ledger_file
from qingqian.ledger.rows import LedgerRow, RowError
from qingqian.ledger.services import derived_status
from qingqian.ledger.totals import Snapshot, TotalsDelta
from qingqian.parties.models import Enterprise

MAX_STORED_ERRORS = 100_000  # the report names every bad row up to this many
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


class Refused(Exception):
    """Raised inside the import transaction to roll everything back."""


def ledger_import_run(
    record: LedgerImport, *, on_progress: Callable[[float, int], None] | None = None
) -> LedgerImport:
    """Check and apply a stored return; all or nothing. Safe to call again."""
    record = LedgerImport.objects.get(pk=record.pk)
    if record.state not in (LedgerImport.State.QUEUED, LedgerImport.State.FAILED):
        return record
    LedgerImport.objects.filter(pk=record.pk).update(state=LedgerImport.State.RUNNING)
    record.state = LedgerImport.State.RUNNING
    outcome = Outcome()
    try:
        with transaction.atomic():
            _apply_file(record, outcome, on_progress)
            if outcome.error_count or outcome.refusal:
                raise Refused
            _finish(record, outcome, LedgerImport.State.DONE)
    except Refused:
        with transaction.atomic():
            _finish(record, outcome, LedgerImport.State.REFUSED)
    except Exception:
        LedgerImport.objects.filter(pk=record.pk).update(
            state=LedgerImport.State.FAILED, finished_at=timezone.now()
        )
        raise
    finally:
        progress_path(record).unlink(missing_ok=True)
    record.refresh_from_db()
    return record


def _apply_file(record: LedgerImport, outcome: Outcome, on_progress) -> None:
    applier = BatchApplier(record)
    with open(imports_dir() / record.stored_name, "rb") as fileobj:
        try:
            reader = read_ledger_file(
                fileobj,
                record.original_name,
                scope=import_scope(record.owner),
                today=timezone.localdate(),
            )
            for batch in reader:
                if not reader.error_count and not applier.errors:
                    applier.apply(batch)  # after the first bad row: check only
                _report(record, reader, on_progress)
        except FileRefused as refusal:
            outcome.refusal = str(refusal)
            return
    outcome.rows_read = reader.rows_read
    outcome.errors = [*reader.errors, *applier.errors]
    outcome.error_count = reader.error_count + len(applier.errors)
    outcome.counts = applier.counts


def _report(record, reader, on_progress) -> None:
    _write_progress(record, reader.fraction_done, reader.rows_read)
    if on_progress is not None:
        on_progress(reader.fraction_done, reader.rows_read)


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


class BatchApplier:
    """Turns validated rows into items, enterprises and payments, batch by batch."""

    def __init__(self, record: LedgerImport):
        self.record = record
        self.enterprises: dict[str, tuple[int, str]] = {}  # USCC → (id, type)
        self.counts: Counter = Counter()
        self.errors: list[RowError] = []
        self.today = timezone.localdate()

    def apply(self, rows: list[LedgerRow]) -> None:
        self._resolve_enterprises(rows)
        rows = [row for row in rows if self._parties_agree(row)]
        existing = self._existing_items(rows)
        delta = TotalsDelta()
        new_items, new_paid, changed = [], [], []
        for row in rows:
            debtor_id = self.enterprises[row.debtor_uscc][0]
            creditor_id = self.enterprises[row.creditor_uscc][0]
            item = existing.get((debtor_id, creditor_id, row.contract_number))
            if item is None:
                new_items.append(self._new_item(row, debtor_id, creditor_id))
                new_paid.append(row.paid_fen)
            elif self._update(item, row, delta):
                changed.append(item)
            else:
                self.counts["unchanged"] += 1
        if self.errors:
            return
        self._create(new_items, new_paid, delta)
        if changed:
            LedgerItem.objects.bulk_update(
                changed, [*UPDATABLE, "paid_fen", "status", "updated_at"], batch_size=500
            )
            self.counts["updated"] += len(changed)
        delta.apply()

    # parties

    def _resolve_enterprises(self, rows: list[LedgerRow]) -> None:
        wanted = {row.debtor_uscc for row in rows} | {row.creditor_uscc for row in rows}
        missing = wanted - self.enterprises.keys()
        for chunk in _chunks(sorted(missing), 900):
            for pk, uscc, kind in Enterprise.objects.filter(uscc__in=chunk).values_list(
                "pk", "uscc", "type"
            ):
                self.enterprises[uscc] = (pk, kind)
        new = {}
        for row in rows:
            if row.debtor_uscc not in self.enterprises and row.debtor_uscc not in new:
                new[row.debtor_uscc] = Enterprise(
                    uscc=row.debtor_uscc,
                    name=row.debtor_name,
                    type=row.debtor_type,
                    region_code=row.region_code,
                )
            if row.creditor_uscc not in self.enterprises and row.creditor_uscc not in new:
                new[row.creditor_uscc] = Enterprise(
                    uscc=row.creditor_uscc,
                    name=row.creditor_name,
                    type=Enterprise.Type.SME,
                    region_code=_region_of_uscc(row.creditor_uscc, row.region_code),
                )
        for enterprise in Enterprise.objects.bulk_create(new.values(), batch_size=2000):
            self.enterprises[enterprise.uscc] = (enterprise.pk, enterprise.type)
        self.counts["enterprises_registered"] += len(new)

    def _parties_agree(self, row: LedgerRow) -> bool:
        """A row may not contradict what the register says about its parties."""
        ok = True
        debtor_type = self.enterprises[row.debtor_uscc][1]
        if debtor_type != row.debtor_type:
            self._error(
                row,
                "debtor_type",
                row.debtor_type,
                _("The register records this debtor as %(type)s.")
                % {"type": Enterprise.Type(debtor_type).label},
            )
            ok = False
        if self.enterprises[row.creditor_uscc][1] != Enterprise.Type.SME:
            self._error(
                row,
                "creditor_uscc",
                row.creditor_uscc,
                _("The register does not record this creditor as an SME."),
            )
            ok = False
        return ok

    # items

    def _existing_items(self, rows: list[LedgerRow]) -> dict[tuple, LedgerItem]:
        debtor_ids = {self.enterprises[row.debtor_uscc][0] for row in rows}
        numbers = {row.contract_number for row in rows}
        found = {}
        for numbers_chunk in _chunks(sorted(numbers), 900):
            query = LedgerItem.objects.filter(
                debtor_id__in=debtor_ids, contract_number__in=numbers_chunk
            )
            for item in query:
                found[(item.debtor_id, item.creditor_id, item.contract_number)] = item
        return found

    def _new_item(self, row: LedgerRow, debtor_id: int, creditor_id: int) -> LedgerItem:
        item = LedgerItem(
            owner_id=self.record.owner_id,
            region_code=row.region_code,
            province_code=province_code_of(row.region_code),
            debtor_id=debtor_id,
            debtor_type=row.debtor_type,
            creditor_id=creditor_id,
            contract_number=row.contract_number,
            contract_signed_on=row.contract_signed_on,
            subject=row.subject,
            due_on=row.due_on,
            owed_fen=row.owed_fen,
            paid_fen=row.paid_fen,
            disputed_fen=row.disputed_fen,
            source=Source.IMPORT,
            notes=row.notes,
        )
        item.status = derived_status(item)
        return item

    def _create(self, items: list[LedgerItem], paid: list[int], delta: TotalsDelta) -> None:
        if not items:
            return
        LedgerItem.objects.bulk_create(items, batch_size=1000)
        Payment.objects.bulk_create(
            (
                Payment(
                    item_id=item.pk,
                    paid_on=self.today,
                    amount_fen=amount,
                    method=PaymentMethod.REPORTED,
                    recorded_by_id=self.record.uploaded_by_id,
                    note=self.record.original_name[:500],
                )
                for item, amount in zip(items, paid, strict=True)
                if amount
            ),
            batch_size=2000,
        )
        for item in items:
            delta.add(Snapshot.of(item))
        self.counts["created"] += len(items)

    def _update(self, item: LedgerItem, row: LedgerRow, delta: TotalsDelta) -> bool:
        """Bring an existing item in line with the row; False when nothing differs."""
        wanted = {name: getattr(row, name) for name in UPDATABLE}
        differs = {name for name, value in wanted.items() if getattr(item, name) != value}
        if not differs and row.paid_fen == item.paid_fen:
            return False
        if row.paid_fen < item.paid_fen:
            self._error(
                row,
                "amount_paid",
                to_yuan_str(row.paid_fen),
                _("The ledger already records more paid than this row: reverse payments instead."),
            )
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
        item.status = derived_status(item)
        item.updated_at = timezone.now()
        delta.move(before, Snapshot.of(item))
        return True

    def _error(self, row: LedgerRow, column: str, value, reason: str) -> None:
        self.errors.append(RowError(row=row.line, column=column, value=str(value), reason=reason))


def _region_of_uscc(uscc: str, fallback: str) -> str:
    """Characters 3-8 of a credit code are the registering authority's region."""
    region = uscc[2:8]
    return region if is_valid_region_code(region) else fallback


def _chunks(values: list, size: int):
    for start in range(0, len(values), size):
        yield values[start : start + size]

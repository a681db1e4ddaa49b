"""Matching checked rows with the register and the ledger, and applying them
batch by batch: `BatchChecker` finds (reading only) what the apply would
refuse; `BatchApplier` writes enterprises, items and payments."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.core import audit
from qingqian.core.bulk import insert_rows
from qingqian.core.money import to_yuan_str
from qingqian.core.regions import is_valid_region_code, province_code_of
from qingqian.core.spreadsheets import escape_cell
from qingqian.ledger import verbs
from qingqian.ledger.imports.rows import LedgerRow, RowError
from qingqian.ledger.models import (
    Category,
    Confirmation,
    LedgerImport,
    LedgerItem,
    Payment,
    PaymentMethod,
    Source,
    Status,
)
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

# What a later return may change on an existing item (payments go their own way).
UPDATABLE = ("owed_fen", "disputed_fen", "due_on", "subject", "contract_signed_on", "notes")


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
        # Plain SQL: building the ORM's IN lookup of 900 values cost more than the query.
        with connection.cursor() as cursor:
            for chunk in _chunks(sorted(usccs), _CHUNK):
                if _arrays():
                    where, params = "uscc = ANY(%s)", [chunk]
                else:
                    where, params = f"uscc IN ({', '.join(['%s'] * len(chunk))})", chunk
                cursor.execute(
                    f"SELECT id, uscc, type, region_code FROM {ENTERPRISE_TABLE} WHERE {where}",  # nosec B608 # table from _meta; values are bound parameters
                    params,
                )
                for pk, uscc, kind, region in cursor.fetchall():
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
        for chunk in _chunks([self._key(row) for row in rows], _CHUNK):
            # A join, not "(a, b, c) IN (VALUES ...)": SQLite scans the whole table
            # for the latter, but looks each key up in the unique index here.
            batch, params = _keys_table(chunk)
            matching = LedgerItem.objects.raw(
                f"WITH {batch} SELECT item.* FROM batch JOIN {ITEM_TABLE} item "  # nosec B608 # placeholders
                "ON item.debtor_id = batch.debtor_id AND item.creditor_id = batch.creditor_id "
                "AND item.contract_number = batch.contract_number"
                # Lock them against concurrent payments (SQLite has one writer anyway).
                + (" FOR UPDATE OF item" if lock else ""),
                params,
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
        if row.owed_fen < row.paid_fen + row.disputed_fen + item.written_off_fen:
            self._error(
                row,
                "amount_owed",
                to_yuan_str(row.owed_fen),
                _(
                    "A court ruling wrote off %(written_off)s yuan of this item: the amount owed "
                    "cannot be less than that plus the amounts paid and disputed."
                )
                % {"written_off": to_yuan_str(item.written_off_fen)},
            )
            return True
        return False

    @staticmethod
    def _differs(item: LedgerItem, row: LedgerRow) -> bool:
        return row.paid_fen != item.paid_fen or bool(_changed_fields(item, row))

    def _error(self, row: LedgerRow, column: str, value, reason: str) -> None:
        self.errors.append(RowError(row=row.line, column=column, value=str(value), reason=reason))


class Held(NamedTuple):
    """The item a checked row names, as the check saw it."""

    item_id: int
    updated_at: datetime
    unchanged: bool  # the row would change nothing in it


class BatchChecker(LedgerMatcher):
    """Finds what the apply would refuse, reading only. A party not yet
    registered has nothing to contradict here; two rows of one file that
    disagree about a new party are caught by the apply (once one of them has
    registered it) and reported from there, as before the check existed."""

    def check(self, rows: list[LedgerRow]) -> tuple[list[LedgerRow], dict[int, Held]]:
        """The rows the apply would accept (the others are reported), and for
        those whose item the ledger holds, that item as the check saw it (by line)."""
        wanted = {row.debtor_uscc for row in rows} | {row.creditor_uscc for row in rows}
        self._load_enterprises(wanted - self.enterprises.keys())
        good = [row for row in rows if self._parties_agree(row)]
        registered = [
            row
            for row in good
            if row.debtor_uscc in self.enterprises and row.creditor_uscc in self.enterprises
        ]
        existing = self._existing_items(registered)
        held, refused = {}, set()
        for row in registered:
            item = existing.get(self._key(row))
            if item is None:
                continue
            if self._update_refused(item, row):
                refused.add(row.line)
            else:
                held[row.line] = Held(item.pk, item.updated_at, not self._differs(item, row))
        return [row for row in good if row.line not in refused], held


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
            verb=verbs.IMPORT_BATCH,
            target=self.record,
            payload={"created": dict(self.created), "updated": dict(self.updated)},
        )

    # parties

    def _resolve_enterprises(self, rows: list[LedgerRow]) -> None:
        wanted = {row.debtor_uscc for row in rows} | {row.creditor_uscc for row in rows}
        self._load_enterprises(wanted - self.enterprises.keys())
        new = new_parties(rows, self.enterprises)
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
        # In the unique index's order: each insert lands next to the one before.
        rows = sorted(rows, key=self._key)
        for row in rows:
            debtor_id, creditor_id, number = self._key(row)
            province, status, category = item_figures(row)
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
                    0,  # nothing is written off on entry
                )
            )
        insert_rows(LedgerItem, ITEM_FIELDS, items)
        self._create_reported_payments(payments, now)
        self.counts["created"] += len(rows)

    def _create_reported_payments(self, payments: list[tuple], now) -> None:
        """What the return says was paid before entry, one payment per item."""
        if not payments:
            return
        today = connection.ops.adapt_datefield_value(self.today)
        note = self.record.original_name[:500]
        uploader = self.record.uploaded_by_id
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # One statement for the batch: its keys as arrays, joined to the items.
                columns = [list(column) for column in zip(*payments, strict=True)]
                cursor.execute(
                    _PAYMENTS_FROM_ARRAYS,
                    [today, PaymentMethod.REPORTED, note, uploader, now, *columns],
                )
                return
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
        differs = _changed_fields(item, row)
        if not differs and row.paid_fen == item.paid_fen:
            return False
        if self._update_refused(item, row):
            return False
        before = Snapshot.of(item)
        for name in differs:
            setattr(item, name, getattr(row, name))
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
ENTERPRISE_TABLE = Enterprise._meta.db_table
_PAYMENTS_FROM_ARRAYS = f"""
INSERT INTO {PAYMENT_TABLE}
    (item_id, paid_on, amount_fen, method, reference, note, recorded_by_id, recorded_at)
SELECT item.id, %s, batch.amount_fen, %s, '', %s, %s, %s
FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::bigint[])
    AS batch (debtor_id, creditor_id, contract_number, amount_fen)
JOIN {ITEM_TABLE} item ON item.debtor_id = batch.debtor_id
    AND item.creditor_id = batch.creditor_id AND item.contract_number = batch.contract_number
"""  # nosec B608 # table names from _meta; values are bound parameters
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


def _changed_fields(item: LedgerItem, row: LedgerRow) -> set[str]:
    """The updatable fields the row changes. Text an export wrote escaped
    (``'=...``, see `escape_cell`) is the item's own value, not a change."""
    changed = set()
    for name in UPDATABLE:
        kept, wanted = getattr(item, name), getattr(row, name)
        if kept != wanted and not (isinstance(kept, str) and escape_cell(kept) == wanted):
            changed.add(name)
    return changed


def new_parties(rows: list[LedgerRow], registered) -> dict[str, tuple[str, str, str]]:
    """The parties these rows name that are not in `registered` (credit codes):
    code → (name, type, region), as the register will hold them (a party named
    twice: as its last mention has it)."""
    new = {}
    for row in rows:
        if row.debtor_uscc not in registered:
            new[row.debtor_uscc] = (row.debtor_name, row.debtor_type, row.region_code)
        if row.creditor_uscc not in registered:
            region = _region_of_uscc(row.creditor_uscc, row.region_code)
            new[row.creditor_uscc] = (row.creditor_name, Enterprise.Type.SME, region)
    return new


def item_figures(row: LedgerRow) -> tuple[str, str, str]:
    """A new item's province, status and category, from its row."""
    category = Category.DISPUTED if row.disputed_fen else Category.UNDISPUTED
    return _province_of(row.region_code), status_from_amounts(row.owed_fen, row.paid_fen), category


def _contract_key(row: LedgerRow) -> list[str]:
    """How an import names an item (and its payment or confirmation): its match key."""
    return [row.debtor_uscc, row.creditor_uscc, row.contract_number]


@lru_cache(maxsize=4096)
def _province_of(region_code: str) -> str:
    return province_code_of(region_code)


def _region_of_uscc(uscc: str, fallback: str) -> str:
    """Characters 3-8 of a credit code are the registering authority's region."""
    region = uscc[2:8]
    return region if _known_region(region) else fallback


@lru_cache(maxsize=4096)
def _known_region(region_code: str) -> bool:
    return is_valid_region_code(region_code)


# PostgreSQL takes a batch's values as arrays, one parameter each: psycopg
# parses a statement of thousands of placeholders more slowly than the server
# runs it. SQLite has no arrays, and allows some thousands of placeholders.
_CHUNK = 1000


def _arrays() -> bool:
    return connection.vendor == "postgresql"


def _keys_table(keys: list[tuple]) -> tuple[str, list]:
    """A `batch (debtor_id, creditor_id, contract_number)` table of contract keys, for
    a WITH clause: (its SQL, its parameters)."""
    if _arrays():
        columns = [list(column) for column in zip(*keys, strict=True)]
        return (
            "batch AS (SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::text[]) "
            "AS keys (debtor_id, creditor_id, contract_number))",
            columns,
        )
    values = ", ".join(["(%s, %s, %s)"] * len(keys))
    return (
        f"batch (debtor_id, creditor_id, contract_number) AS (VALUES {values})",
        [value for key in keys for value in key],
    )


def _chunks(values: list, size: int):
    for start in range(0, len(values), size):
        yield values[start : start + size]

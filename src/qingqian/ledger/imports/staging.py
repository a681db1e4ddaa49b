"""The checked rows of an import, staged in temporary tables of the import's
own connection, and applied from there in sets.

The check (reading only) stages every row it accepts, with what the apply
needs of it worked out beforehand: its province, status and category, whether
the ledger holds its item yet, and the parties it would register (their
names' indexed form included). On SQLite the temporary tables live in the
connection's temporary database, so filling them does not take the main
database's writer.

The apply, in the caller's transaction, writes the new rows in a few
statements (`INSERT ... SELECT` joined to the register): the parties, the
items, the payments the return reports, the totals, and audit events naming
every row. The rows naming an item the ledger holds go through
`BatchApplier`, which compares each with its item as it is now; those the
check found would change nothing are only counted, if no item of theirs has
changed since the check (a later return repeats most of the one before).

Should the register or the ledger have changed since the check in a way that
touches the new rows (a party registered meanwhile, an item created under one
of their keys), or should rows of the file disagree about a party it
registers, the sets are rolled back and every row goes through `BatchApplier`,
the reference, which reports each refused row as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from operator import attrgetter

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from qingqian.core import audit
from qingqian.core.bulk import insert_into
from qingqian.core.namesearch import name_bigrams
from qingqian.ledger import verbs
from qingqian.ledger.imports.apply import (
    ENTERPRISE_TABLE,
    ITEM,
    ITEM_FIELDS,
    ITEM_TABLE,
    PAYMENT,
    PAYMENT_TABLE,
    BatchApplier,
    Held,
    item_figures,
    new_parties,
)
from qingqian.ledger.imports.rows import LEDGER_ROW_FIELDS, LedgerRow
from qingqian.ledger.models import LedgerImport, LedgerItem, PaymentMethod, Source
from qingqian.ledger.totals import TotalsDelta
from qingqian.parties.models import Enterprise
from qingqian.parties.services import enterprises_register_staged
from qingqian.parties.vocabulary import Notified

ROWS, PARTIES = "qq_import_rows", "qq_import_parties"
ROW_COLUMNS = (
    *LEDGER_ROW_FIELDS,
    "is_new",
    "province_code",
    "status",
    "category",
    "item_id",
    "item_updated_at",
    "unchanged",
)
PARTY_COLUMNS = ("uscc", "name", "type", "region_code", "grams")
_TABLES = {
    # `line` is the primary key: the rows go in in its order, and are read back
    # a batch at a time by it (on SQLite it is the rowid itself).
    ROWS: "line bigint PRIMARY KEY, debtor_uscc text, debtor_name text, debtor_type text, "
    "region_code text, creditor_uscc text, creditor_name text, contract_number text, "
    "contract_signed_on date, subject text, due_on date, owed_fen bigint, paid_fen bigint, "
    "disputed_fen bigint, notes text, is_new boolean, province_code text, status text, "
    "category text, item_id bigint, item_updated_at timestamp with time zone, unchanged boolean",
    PARTIES: "uscc text PRIMARY KEY, name text, type text, region_code text, grams text",
}
_row_values = attrgetter(*LEDGER_ROW_FIELDS)
BATCH_ROWS = 5000  # rows read back at a time, and named by one audit event
# SQLite's page cache for the apply (2 MB by default): the new items land all
# over the ledger's indexes, and with their pages in memory the apply (and
# the writer it holds) takes 40% less time at 100,000 rows.
IMPORT_CACHE_KIB = 64 * 1024


class Conflict(Exception):
    """The new rows cannot go in as sets: the reference must apply (and report)."""


class Staging:
    """The temporary tables of one import; use as a context manager, on the
    connection that checks and applies it."""

    def __init__(self, record: LedgerImport):
        self.record = record
        self.rows = 0
        self.new_rows = 0
        self.totals = TotalsDelta()  # what the new rows add
        self._parties_seen: set[str] = set()
        self._cache_size = None  # SQLite's, while the apply has a larger one

    def __enter__(self) -> Staging:
        with connection.cursor() as cursor:
            for table, columns in _TABLES.items():
                cursor.execute(f"DROP TABLE IF EXISTS {table}")  # nosec B608 # our own names
                cursor.execute(f"CREATE TEMPORARY TABLE {table} ({columns})")  # nosec B608 # our own names
        return self

    def __exit__(self, kind, error, trace) -> None:
        try:
            with connection.cursor() as cursor:
                for table in _TABLES:
                    cursor.execute(f"DROP TABLE IF EXISTS {table}")  # nosec B608 # our own names
                if self._cache_size is not None:
                    cursor.execute(f"PRAGMA cache_size = {int(self._cache_size)}")
        except DatabaseError:
            if error is None:
                raise
            # The error that stopped the import is the one to see; a lost
            # connection took its temporary tables with it.

    # --- filled by the check ---------------------------------------------------------

    def add(self, rows: list[LedgerRow], held: dict[int, Held], registered: dict) -> None:
        """Stage a batch of checked rows; `held`: the items the ledger holds,
        by line; `registered`: the register's parties by credit code."""
        parties = {
            uscc: party
            for uscc, party in new_parties(rows, registered).items()
            if uscc not in self._parties_seen
        }
        self._parties_seen.update(parties)
        adapt = connection.ops.adapt_datefield_value
        adapt_moment = connection.ops.adapt_datetimefield_value
        staged = []
        for row in rows:
            item = held.get(row.line)
            is_new = item is None
            values = _row_values(row)
            signed, due = adapt(values[8]), adapt(values[10])
            province, status, category = figures = item_figures(row)
            seen = (
                (None, None, False)
                if is_new
                else (item.item_id, adapt_moment(item.updated_at), item.unchanged)
            )
            staged.append(
                (*values[:8], signed, values[9], due, *values[11:], is_new, *figures, *seen)
            )
            if is_new:
                self.new_rows += 1
                key = (row.region_code, province, row.debtor_type, status, category)
                self.totals.add_figures(key, row.owed_fen, row.paid_fen, row.disputed_fen, 0)
        self.rows += len(rows)
        with _temporary_writes():
            insert_into(ROWS, ROW_COLUMNS, staged)
            insert_into(
                PARTIES,
                PARTY_COLUMNS,
                [(uscc, *party, name_bigrams(party[0])) for uscc, party in parties.items()],
            )

    # --- the apply, in the caller's transaction --------------------------------------

    def apply(self, applier: BatchApplier) -> Iterator[float]:
        """Apply every staged row; yields the share done after each step (the
        caller looks at `applier.errors` then)."""
        self._enlarge_page_cache()
        try:
            with transaction.atomic():
                self._apply_new(applier)
        except Conflict:
            yield from self._apply_by_row(applier, _ALL_ROWS)
            return
        yield self.new_rows / max(self.rows, 1)
        unchanged = _count(_STILL_UNCHANGED)
        if unchanged == _count(_UNCHANGED):
            applier.counts["unchanged"] += unchanged
            yield from self._apply_by_row(applier, _CHANGED_ROWS)
        else:  # some item changed since the check: compare every row with its item
            yield from self._apply_by_row(applier, _HELD_ROWS)

    def _enlarge_page_cache(self) -> None:
        """SQLite's, for the apply (until the staging is left): the check does
        without, so a file it refuses costs no more memory for it."""
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            (self._cache_size,) = cursor.fetchone()
            cursor.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")

    def _apply_new(self, applier: BatchApplier) -> None:
        """The new rows, in sets; raises Conflict, leaving the caller to roll back."""
        if not self.new_rows:
            return
        record = self.record
        if _count(_PARTIES_REGISTERED):  # since the check
            raise Conflict
        registered = enterprises_register_staged(
            actor=record.uploaded_by, staged=PARTIES, source=record
        )
        try:
            created = _insert_items_and_payments(record)
        except IntegrityError as taken:  # an item created under one of the keys
            raise Conflict from taken
        if created != self.new_rows:  # a row at odds with the register
            raise Conflict
        self.totals.apply()
        self._record_created()
        applier.counts["created"] += self.new_rows
        applier.counts["enterprises_registered"] += registered

    def _record_created(self) -> None:
        """One audit event a batch of new rows, naming by contract key every
        item and payment it created, as `BatchApplier` does."""
        for batch in self._batches(_NEW_KEYS):
            items = [values[:3] for values in batch]
            payments = [values[:3] for values in batch if values[3]]
            created = {ITEM: items, **({PAYMENT: payments} if payments else {})}
            audit.record(
                actor=self.record.uploaded_by,
                verb=verbs.IMPORT_BATCH,
                target=self.record,
                payload={"created": created, "updated": {}},
            )

    def _apply_by_row(self, applier: BatchApplier, query: str) -> Iterator[float]:
        """The rows `query` selects, through `BatchApplier`."""
        for batch in self._batches(query):
            applier.apply([_ledger_row(values) for values in batch])
            done = sum(applier.counts[kind] for kind in ("created", "updated", "unchanged"))
            yield done / max(self.rows, 1)

    @staticmethod
    def _batches(query: str) -> Iterator[list[tuple]]:
        """The rows `query` selects (its first column the line), a batch at a
        time in file order, without the whole result in memory."""
        last = 0
        with connection.cursor() as cursor:
            while True:
                cursor.execute(query, [last, BATCH_ROWS])
                batch = cursor.fetchall()
                if not batch:
                    return
                last = batch[-1][0]
                yield [values[1:] for values in batch]


@contextmanager
def _temporary_writes():
    """One transaction for a batch's staging writes. On SQLite a deferred one:
    it writes only the connection's temporary database, and so takes no
    writer from anyone (`atomic` would begin IMMEDIATE: the main database's)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    raw.execute("BEGIN DEFERRED")
    try:
        yield
    except BaseException:
        raw.execute("ROLLBACK")
        raise
    raw.execute("COMMIT")


def _insert_items_and_payments(record: LedgerImport) -> int:
    """The new items, and a payment for each that the return reports paid;
    returns how many items. PostgreSQL in one statement (the payments from
    the items it returns); SQLite, whose one writer this transaction holds,
    takes the payments from the items numbered after the highest before."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    today = connection.ops.adapt_datefield_value(timezone.localdate())
    items = [record.owner_id, Source.IMPORT, Notified.UNKNOWN, now, now, Enterprise.Type.SME]
    payments = [
        today,
        PaymentMethod.REPORTED,
        record.original_name[:500],
        record.uploaded_by_id,
        now,
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_INSERT_ITEMS_AND_PAYMENTS, [*items, *payments])
            return cursor.fetchone()[0]
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {ITEM_TABLE}")  # nosec B608 # table name from _meta
        (highest,) = cursor.fetchone()
        cursor.execute(_INSERT_ITEMS, items)
        created = cursor.rowcount
        cursor.execute(_PAYMENTS_OF_ITEMS_AFTER, [*payments, highest])
        return created


def _count(query: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchone()[0]


def _ledger_row(values: tuple) -> LedgerRow:
    """A staged row as the `LedgerRow` it was (SQLite gives dates back as text)."""
    fields = dict(zip(LEDGER_ROW_FIELDS, values, strict=True))
    for name in ("contract_signed_on", "due_on"):
        if isinstance(fields[name], str):
            fields[name] = date.fromisoformat(fields[name])
    return LedgerRow._from_checked(fields)


_ITEM_COLUMNS = ", ".join(LedgerItem._meta.get_field(name).column for name in ITEM_FIELDS)
_PARTIES_OF_ROW = f"""
FROM {ROWS} r
JOIN {ENTERPRISE_TABLE} d ON d.uscc = r.debtor_uscc
JOIN {ENTERPRISE_TABLE} c ON c.uscc = r.creditor_uscc
"""  # nosec B608 # table names from _meta and our own
_PARTIES_REGISTERED = (
    f"SELECT count(*) FROM {PARTIES} p JOIN {ENTERPRISE_TABLE} e ON e.uscc = p.uscc"  # nosec B608 # table names from _meta and our own
)
# Only the rows whose parties the register holds as the row has them (the
# debtor's type and region, the creditor an SME: `LedgerMatcher._parties_agree`):
# one left out (a file at odds with itself about a party it registers, a
# party changed since the check) is a conflict.
_INSERT_ITEMS = (
    f"INSERT INTO {ITEM_TABLE} ({_ITEM_COLUMNS}) "  # nosec B608 # table names from _meta and our own
    "SELECT %s, r.region_code, r.province_code, d.id, r.debtor_type, c.id, r.contract_number, "
    "r.contract_signed_on, r.subject, r.due_on, r.owed_fen, r.paid_fen, r.disputed_fen, "
    f"r.status, %s, %s, r.notes, %s, %s {_PARTIES_OF_ROW} WHERE r.is_new "
    "AND d.type = r.debtor_type AND d.region_code = r.region_code AND c.type = %s "
    # In the unique index's order: each insert lands next to the one before.
    "ORDER BY d.id, c.id, r.contract_number"
)
_INSERT_PAYMENTS = (
    f"INSERT INTO {PAYMENT_TABLE} (item_id, paid_on, amount_fen, method, reference, note, "  # nosec B608 # table name from _meta
    "recorded_by_id, recorded_at) SELECT id, %s, paid_fen, %s, '', %s, %s, %s"
)
_PAYMENTS_OF_ITEMS_AFTER = (
    f"{_INSERT_PAYMENTS} FROM {ITEM_TABLE} WHERE id > %s AND paid_fen > 0 ORDER BY id"  # nosec B608 # table name from _meta
)
_INSERT_ITEMS_AND_PAYMENTS = (
    f"WITH created AS ({_INSERT_ITEMS} RETURNING id, paid_fen), "  # nosec B608 # table names from _meta and our own
    f"paid AS ({_INSERT_PAYMENTS} FROM created WHERE paid_fen > 0) "
    "SELECT count(*) FROM created"
)
_NEW_KEYS = (
    f"SELECT line, debtor_uscc, creditor_uscc, contract_number, paid_fen FROM {ROWS} "  # nosec B608 # our own table
    "WHERE is_new AND line > %s ORDER BY line LIMIT %s"
)
_ROWS_FROM = f"SELECT line, {', '.join(LEDGER_ROW_FIELDS)} FROM {ROWS} WHERE line > %s"  # nosec B608 # our own table
_ALL_ROWS = _ROWS_FROM + " ORDER BY line LIMIT %s"
_HELD_ROWS = _ROWS_FROM + " AND NOT is_new ORDER BY line LIMIT %s"
_CHANGED_ROWS = _ROWS_FROM + " AND NOT is_new AND NOT unchanged ORDER BY line LIMIT %s"
# The rows the check found would change nothing in their item; and those of
# them whose item has not changed since (every change to an item sets its
# updated_at: the ledger's services save it whole, the importer sets it).
_UNCHANGED = f"SELECT count(*) FROM {ROWS} WHERE unchanged"  # nosec B608 # our own table
_STILL_UNCHANGED = (
    f"SELECT count(*) FROM {ROWS} r JOIN {ITEM_TABLE} i ON i.id = r.item_id "  # nosec B608 # table names from _meta and our own
    "AND i.updated_at = r.item_updated_at WHERE r.unchanged"
)

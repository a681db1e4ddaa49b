"""Exports of any filtered ledger view, as CSV or XLSX, streamed.

An export is a filled-in import template: the template's columns with the
template's words (``机关``, ``工程``), followed by read-only columns (status,
outstanding, the item's number) that an import accepts and ignores. So a
province corrects its ledger by editing an export and importing it back: the
items are matched by their contract key, an unchanged row changes nothing.
Rows come from the scoped queryset as plain tuples in chunks: memory stays
flat on millions of rows.
"""

from __future__ import annotations

from django.db.models import QuerySet

from qingqian.core.spreadsheets import download
from qingqian.ledger.columns import BY_KEY, READ_ONLY_BY_KEY, TEMPLATE_WORDS
from qingqian.ledger.figures import LedgerFigures
from qingqian.ledger.models import Status

# The template's columns, each with its queryset path: kind "money" is fen, shown in yuan.
TEMPLATE_PATHS = {
    "debtor_uscc": "debtor__uscc",
    "debtor_name": "debtor__name",
    "debtor_type": "debtor_type",
    "region_code": "region_code",
    "creditor_uscc": "creditor__uscc",
    "creditor_name": "creditor__name",
    "contract_number": "contract_number",
    "contract_signed_on": "contract_signed_on",
    "subject": "subject",
    "due_on": "due_on",
    "amount_owed": "owed_fen",
    "amount_paid": "paid_fen",
    "disputed_amount": "disputed_fen",
    "notes": "notes",
}
READ_ONLY_PATHS = {"status": "status", "item_id": "id"}
PATHS = [*TEMPLATE_PATHS.values(), *READ_ONLY_PATHS.values()]
COLUMNS = [
    *(BY_KEY[key] for key in TEMPLATE_PATHS),
    READ_ONLY_BY_KEY["status"],
    READ_ONLY_BY_KEY["item_id"],
    READ_ONLY_BY_KEY["outstanding"],  # computed from owed and paid, last
]
HEADER = [column.header for column in COLUMNS]
KINDS = [column.excel_kind for column in COLUMNS]
OWED, PAID = PATHS.index("owed_fen"), PATHS.index("paid_fen")
WORDED = {PATHS.index(TEMPLATE_PATHS[key]): words for key, words in TEMPLATE_WORDS.items()}
STATUS = PATHS.index("status")


def export_rows(items: QuerySet, status_labels: dict[str, str]):
    """Lists in HEADER order, amounts still in fen, choices in the template's words;
    outstanding as `ledger.figures` defines it (what was written off is no longer
    outstanding)."""
    rows = items.order_by().values_list(*PATHS, "written_off_fen")
    for *values, written_off in rows.iterator(chunk_size=2000):
        row = list(values)
        for index, words in WORDED.items():
            row[index] = words.get(row[index], row[index])
        row[STATUS] = status_labels[row[STATUS]]
        figures = LedgerFigures(
            owed_fen=values[OWED], paid_fen=values[PAID], written_off_fen=written_off
        )
        row.append(figures.outstanding_fen)
        yield row


def ledger_export(items: QuerySet, fmt: str):
    """A streaming CSV, or an XLSX spooled to a temporary file, of these items."""
    # Labels in the reader's language now: the rows are written after the view returns.
    status_labels = {value: str(label) for value, label in Status.choices}
    return download("ledger", HEADER, export_rows(items, status_labels), KINDS, fmt)

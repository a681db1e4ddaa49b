"""Exports of any filtered ledger view, as CSV or XLSX, streamed.

The columns are the import template's (so an export can be corrected and
imported back), followed by status and outstanding. Rows come from the scoped
queryset as plain tuples in chunks: memory stays flat on millions of rows.
"""

from __future__ import annotations

from django.db.models import QuerySet

from qingqian.core.spreadsheets import download
from qingqian.ledger.columns import BY_KEY
from qingqian.ledger.figures import LedgerFigures

# (header, queryset path, kind) — kind "money" is fen, shown in yuan.
EXPORT_COLUMNS = [
    (BY_KEY["debtor_uscc"].header, "debtor__uscc", "text"),
    (BY_KEY["debtor_name"].header, "debtor__name", "text"),
    (BY_KEY["debtor_type"].header, "debtor_type", "text"),
    (BY_KEY["region_code"].header, "region_code", "text"),
    (BY_KEY["creditor_uscc"].header, "creditor__uscc", "text"),
    (BY_KEY["creditor_name"].header, "creditor__name", "text"),
    (BY_KEY["contract_number"].header, "contract_number", "text"),
    (BY_KEY["contract_signed_on"].header, "contract_signed_on", "date"),
    (BY_KEY["subject"].header, "subject", "text"),
    (BY_KEY["due_on"].header, "due_on", "date"),
    (BY_KEY["amount_owed"].header, "owed_fen", "money"),
    (BY_KEY["amount_paid"].header, "paid_fen", "money"),
    (BY_KEY["disputed_amount"].header, "disputed_fen", "money"),
    (BY_KEY["notes"].header, "notes", "text"),
    ("状态 / status", "status", "text"),
]
OUTSTANDING_HEADER = "未付金额（元） / outstanding"
HEADER = [header for header, _path, _kind in EXPORT_COLUMNS] + [OUTSTANDING_HEADER]
KINDS = [kind for _header, _path, kind in EXPORT_COLUMNS] + ["money"]
PATHS = [path for _header, path, _kind in EXPORT_COLUMNS]
OWED, PAID = PATHS.index("owed_fen"), PATHS.index("paid_fen")


def export_rows(items: QuerySet):
    """Tuples in HEADER order, amounts still in fen; outstanding as `ledger.figures`
    defines it (what was written off is no longer outstanding)."""
    rows = items.order_by().values_list(*PATHS, "written_off_fen")
    for *values, written_off in rows.iterator(chunk_size=2000):
        figures = LedgerFigures(
            owed_fen=values[OWED], paid_fen=values[PAID], written_off_fen=written_off
        )
        yield [*values, figures.outstanding_fen]


def ledger_export(items: QuerySet, fmt: str):
    """A streaming CSV, or an XLSX spooled to a temporary file, of these items."""
    return download("ledger", HEADER, export_rows(items), KINDS, fmt)

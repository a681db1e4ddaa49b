"""The ledger's own files: the import template and the error report of a refused
import. Writing (CSV, XLSX, formula escaping) is `qingqian.core.spreadsheets`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

import xlsxwriter

from qingqian.core.spreadsheets import CellKind, stream_csv, write_cell
from qingqian.ledger.columns import COLUMNS, TEMPLATE_HEADER
from qingqian.ledger.imports.rows import RowError

ERROR_REPORT_HEADER = ["行号 / row", "列 / column", "值 / value", "原因 / reason"]

# The template's example row: codes pass check_uscc, 440100 is 广州市, the dates
# are in the past, and it imports cleanly (a test reads the template back).
TEMPLATE_EXAMPLE: dict[str, object] = {
    "debtor_uscc": "114401000070000031",
    "debtor_name": "示例市交通运输局",
    "debtor_type": "机关",
    "region_code": "440100",
    "creditor_uscc": "91440101MA59PXJ1XG",
    "creditor_name": "示例科技有限公司",
    "contract_number": "HT-2024-001",
    "contract_signed_on": date(2024, 1, 15),
    "subject": "服务",
    "due_on": date(2024, 3, 15),
    "amount_owed": 12_500_000,
    "amount_paid": 2_500_000,
    "disputed_amount": 0,
    "notes": "示例行，填报时请删除 / example row: delete it",
}


# --- the import template ----------------------------------------------------------


def _template_row() -> list:
    return [TEMPLATE_EXAMPLE[column.key] for column in COLUMNS]


def _template_kinds() -> list[CellKind]:
    return [column.excel_kind for column in COLUMNS]


def template_csv() -> bytes:
    """The import template as CSV: bilingual header and the example row."""
    return b"".join(stream_csv(TEMPLATE_HEADER, [_template_row()], _template_kinds()))


def template_xlsx(fileobj) -> None:
    """The import template as XLSX. Text columns are formatted as text ("@") so
    that Excel keeps a typed credit code or region code as typed."""
    workbook = xlsxwriter.Workbook(fileobj, {"constant_memory": True})
    text = workbook.add_format({"num_format": "@"})
    formats = {
        "header": workbook.add_format({"bold": True, "text_wrap": True}),
        "money": workbook.add_format({"num_format": "#,##0.00"}),
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
    }
    sheet = workbook.add_worksheet("台账 ledger")
    for index, kind in enumerate(_template_kinds()):
        if kind == "text":
            sheet.set_column(index, index, 24, text)
        else:
            sheet.set_column(index, index, 16)
    for column, name in enumerate(TEMPLATE_HEADER):
        sheet.write_string(0, column, name, formats["header"])
    for column, (value, kind) in enumerate(zip(_template_row(), _template_kinds(), strict=True)):
        write_cell(sheet, 1, column, value, kind, formats)
    workbook.close()


# --- error reports ------------------------------------------------------------------


def error_report_csv(errors: Iterable[RowError]) -> Iterator[bytes]:
    """The bad cells of a refused import, one per line, for the user to fix."""
    rows = ((error.row, error.column, error.value, str(error.reason)) for error in errors)
    return stream_csv(ERROR_REPORT_HEADER, rows)

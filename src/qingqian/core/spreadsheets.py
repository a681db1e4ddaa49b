"""Spreadsheet files people download: CSV and XLSX, streamed, formula-safe.

Every text cell goes through `escape_cell`: a value such as ``=HYPERLINK(...)``
that someone typed into the platform must open in a spreadsheet as text, never
run as a formula (CSV/formula injection). XLSX cells are written with
``write_string``, which never makes a formula either; the apostrophe is still
added there so that a re-saved or copied export stays safe, and so both
formats show the same text. Pure Python: core.exports, the ledger's
exports, templates and error reports all write through here.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Literal

import xlsxwriter

from qingqian.core.money import to_yuan_str

CellKind = Literal["text", "date", "money"]
CSV_FLUSH_ROWS = 1000
# What a spreadsheet may take for the start of a formula (or of a DDE payload).
FORMULA_STARTS = frozenset("=+-@\t\r")


def escape_cell(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe;
    anything else (numbers, dates, safe text) is returned unchanged."""
    if isinstance(value, str) and value and value[0] in FORMULA_STARTS:
        return "'" + value
    return value


def _csv_text(value, kind: CellKind) -> str:
    if value is None:
        return ""
    if kind == "money" and isinstance(value, int):
        return to_yuan_str(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return escape_cell(value)
    return str(value)


def stream_csv(
    header: list[str], rows: Iterable[Sequence], kinds: Sequence[CellKind] | None = None
) -> Iterator[bytes]:
    """UTF-8 CSV with a BOM (so Excel shows Chinese), in chunks of rows.

    ``kinds`` marks money columns, whose int fen become yuan text (12345 ->
    "123.45"); other values are written as text, escaped."""
    kinds = list(kinds or ["text"] * len(header))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_csv_text(name, "text") for name in header])
    yield "\ufeff".encode() + buffer.getvalue().encode()
    buffer.seek(0)
    buffer.truncate()
    for count, row in enumerate(rows, start=1):
        writer.writerow([_csv_text(value, kind) for value, kind in zip(row, kinds, strict=False)])
        if count % CSV_FLUSH_ROWS == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()


def write_xlsx(
    fileobj, header: list[str], rows: Iterable[Sequence], kinds: Sequence[CellKind] | None = None
) -> None:
    """An XLSX export written row by row (XlsxWriter constant_memory mode).

    Text is written as strings, escaped; ``kinds`` marks money columns (int fen
    written as a number of yuan, format #,##0.00) and date columns. Excel holds
    15 significant digits, so amounts above 10^13 yuan lose their last fen in
    the XLSX number (the CSV export is exact)."""
    kinds = list(kinds or ["text"] * len(header))
    workbook = xlsxwriter.Workbook(fileobj, {"constant_memory": True})
    formats = {
        "header": workbook.add_format({"bold": True}),
        "money": workbook.add_format({"num_format": "#,##0.00"}),
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
    }
    sheet = workbook.add_worksheet()
    for index, kind in enumerate(kinds):
        sheet.set_column(index, index, 14 if kind == "text" else 12)
    for column, name in enumerate(header):
        sheet.write_string(0, column, escape_cell(str(name)), formats["header"])
    for row_index, row in enumerate(rows, start=1):
        for column, (value, kind) in enumerate(zip(row, kinds, strict=False)):
            write_cell(sheet, row_index, column, value, kind, formats)
    workbook.close()


def write_cell(sheet, row: int, column: int, value, kind: CellKind, formats) -> None:
    if value is None or value == "":
        return
    if kind == "money" and isinstance(value, int) and not isinstance(value, bool):
        sheet.write_number(row, column, value / 100, formats["money"])
    elif isinstance(value, date):  # datetime is a date too
        sheet.write_datetime(row, column, value, formats["date"])
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(row, column, value)
    else:
        sheet.write_string(row, column, escape_cell(str(value)))


def download(filename: str, header: list[str], rows: Iterable[Sequence], kinds, fmt: str):
    """A table as a file: streamed CSV, or XLSX spooled to a temporary file."""
    from qingqian.core import downloads

    if fmt == "csv":
        return downloads.file_response(
            stream_csv(header, rows, kinds), filename=f"{filename}.csv", content_type=downloads.CSV
        )
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    write_xlsx(spool, header, rows, kinds)
    spool.seek(0)
    return downloads.file_response(spool, filename=f"{filename}.xlsx", content_type=downloads.XLSX)

"""Why a whole return is refused (`FileRefused`, its messages) and the
`Limits` every reader checks before the work a size would cost."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

DEFAULT_MAX_ROWS = 2_000_000
DEFAULT_MAX_COLUMNS = 50
DEFAULT_MAX_CELL_CHARS = 2000
DEFAULT_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
DEFAULT_MAX_ZIP_MEMBERS = 1000

FORMATS = _("Accepted formats: Excel workbook (.xlsx) and CSV (.csv, UTF-8 or GB18030).")
MESSAGES = {
    "empty": _("The file is empty."),
    "not_readable": _("This is not a file we can read."),
    "legacy": _(
        "Old Excel files (.xls) and password-protected workbooks cannot be read: save the "
        "return as an Excel workbook (.xlsx) without a password, or as CSV."
    ),
    "utf16": _("The file is UTF-16 text: save it as CSV UTF-8."),
    "binary": _("The file contains binary data (control characters), not CSV text."),
    "binary_at": _("Row %(row)d contains binary data (control characters), not text."),
    "encoding": _("The file is neither UTF-8 nor GB18030 text."),
    "encoding_at": _(
        "Row %(row)d is not valid %(encoding)s text: save the whole file in one encoding "
        "(UTF-8 is best)."
    ),
    "csv": _("Row %(row)d cannot be read as CSV (%(detail)s)."),
    "row_too_long": _(
        "Row %(row)d is too long: a row may have at most %(columns)d cells of at most "
        "%(chars)d characters each."
    ),
    "too_many_cells": _("Row %(row)d has %(count)d cells; at most %(max)d columns are accepted."),
    "cell_too_long": _(
        "Row %(row)d, column %(column)s: a cell may have at most %(max)d characters."
    ),
    "too_many_rows": _("The file has more than %(max)d data rows: split it into several returns."),
    "missing_columns": _("The header lacks required columns: %(columns)s."),
    "unknown_columns": _(
        "The header has unknown columns: %(columns)s (use the headers of the template)."
    ),
    "duplicate_columns": _("The header names these columns more than once: %(columns)s."),
    "no_data": _("The file has a header but no data rows."),
    "unnamed_column": _("Column %(column)s has a value but no header."),
    "zip_invalid": _("The file is damaged or is not an Excel workbook (.xlsx)."),
    "zip_too_big": _(
        "The workbook unpacks to more than %(mb)d MB: split the return or save it as CSV."
    ),
    "zip_bomb": _(
        "The workbook part %(part)s is compressed %(ratio)d to 1, which no real workbook "
        "is: refused as a possible zip bomb."
    ),
    "zip_members": _("The workbook has %(count)d parts; at most %(max)d are accepted."),
    "zip_lying": _("The workbook part %(part)s is larger than its header says: refused."),
    "sheet_columns": _(
        "The first sheet reaches column %(column)s; at most %(max)d columns are accepted."
    ),
    "sheet_sparse": _(
        "The first sheet's cells reach row %(rows)d, column %(column)s, but it holds far "
        "less data: delete the empty rows and columns beyond your data, or save as CSV."
    ),
    "sheet_refless": _(
        "The workbook was written by a program that leaves out cell positions: open and "
        "save it in Excel or WPS, or save it as CSV."
    ),
    "shared_strings": _("The workbook's shared-string table claims more strings than it holds."),
}


class FileRefused(Exception):
    """The whole file cannot be imported; ``message`` says why (translated)."""

    def __init__(self, message):
        self.message = str(message)
        super().__init__(self.message)


def refuse(key: str, **params) -> FileRefused:
    message = MESSAGES[key] % params if params else MESSAGES[key]
    if key in ("not_readable", "binary", "encoding", "zip_invalid"):
        return FileRefused(f"{message} {FORMATS}")
    return FileRefused(message)


@dataclass(frozen=True)
class Limits:
    max_rows: int = DEFAULT_MAX_ROWS
    max_columns: int = DEFAULT_MAX_COLUMNS
    max_cell_chars: int = DEFAULT_MAX_CELL_CHARS
    max_uncompressed_bytes: int = DEFAULT_MAX_UNCOMPRESSED_BYTES
    max_zip_members: int = DEFAULT_MAX_ZIP_MEMBERS


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how a spreadsheet user names a column."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def check_cell_lengths(row_number: int, record: list, max_chars: int, first_column=0) -> None:
    """Refuses a row (of a CSV or a sheet) holding a cell longer than ``max_chars``."""
    for index, value in enumerate(record):
        if type(value) is str and len(value) > max_chars:
            letter = column_letter(first_column + index)
            raise refuse("cell_too_long", row=row_number, column=letter, max=max_chars)

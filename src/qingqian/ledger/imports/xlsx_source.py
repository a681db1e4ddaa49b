"""Rows of the first sheet of an XLSX return, read with python-calamine once
`zipguard` has found nothing in the zip that could hurt. calamine reads the
sheet into memory (it has no lazy reader); the uncompressed-size cap bounds that.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

from python_calamine import CalamineWorkbook

from qingqian.ledger.imports.refusal import Limits, check_cell_lengths, refuse
from qingqian.ledger.imports.zipguard import READ_CHUNK, check_workbook


def seekable_upload(head: bytes, fileobj, limits: Limits):
    """A seekable file holding the whole upload from its first byte: zipfile and
    calamine need one. Other streams are spooled to a temporary file, capped."""
    try:
        if fileobj.seekable() and fileobj.tell() == len(head):
            fileobj.seek(0)
            return fileobj
    except (AttributeError, OSError, ValueError):
        pass
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (outlives this function; GC closes it)
    spool.write(head)
    copied = len(head)
    while chunk := fileobj.read(READ_CHUNK):
        copied += len(chunk)
        if copied > limits.max_uncompressed_bytes:
            raise refuse("zip_too_big", mb=limits.max_uncompressed_bytes // 2**20)
        spool.write(chunk)
    spool.seek(0)
    return spool


class XlsxSource:
    """Rows of the first sheet of a checked workbook, read with python-calamine."""

    format = "xlsx"
    bytes_read = 0

    def __init__(self, file, limits: Limits):
        check_workbook(file, limits)
        file.seek(0)
        try:
            self._workbook = CalamineWorkbook.from_filelike(file)
            self._sheet = self._workbook.get_sheet_by_index(0)
        except Exception:  # calamine's errors share no base class but Exception
            raise refuse("zip_invalid") from None
        # iter_rows yields rows from the sheet's row 1 (empty ones above the data
        # included) but cells from the first used column: hence the column offset.
        self.first_column = (self._sheet.start or (0, 0))[1]
        self._height = self._sheet.end[0] + 1 if self._sheet.end else 0
        self._consumed = 0
        self._limits = limits
        self._rows = self._nonblank_rows()

    @property
    def fraction_done(self) -> float:
        return self._consumed / self._height if self._height else 0.0

    def header(self) -> tuple[int, list]:
        for row_number, values in self._rows:
            return row_number, values
        raise refuse("empty")

    def rows(self) -> Iterator[tuple[int, list]]:
        return self._rows

    def _nonblank_rows(self) -> Iterator[tuple[int, list]]:
        max_chars = self._limits.max_cell_chars
        for offset, values in enumerate(self._sheet.iter_rows()):
            self._consumed = offset + 1
            while values and _blank(values[-1]):
                values.pop()
            if not values or all(map(_blank, values)):
                continue
            row_number = offset + 1
            check_cell_lengths(row_number, values, max_chars, self.first_column)
            yield row_number, values


def _blank(value) -> bool:
    return value == "" or (type(value) is str and not value.strip())

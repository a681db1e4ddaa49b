"""Rows of a CSV return, bounded as they are read.

The upload is decoded through ``io.TextIOWrapper`` and read one physical line
at a time with a length cap, so a row of a million cells or a 10 MB cell is
refused after reading about 200 kB, and memory stays flat however many rows
the file has. We check cell sizes ourselves rather than lowering
``csv.field_size_limit``, which is process-wide state other readers share.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from qingqian.ledger.imports.refusal import FileRefused, Limits, check_cell_lengths, refuse

# Bytes the decoder could not read, kept as lone surrogates (errors="surrogateescape")
# so that the line holding them, not the 8 kB chunk around it, is reported.
_UNREADABLE = re.compile(r"[\udc80-\udcff]")
_SUSPICIOUS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\udc80-\udcff]")


class CountingReader(io.RawIOBase):
    """The sniffed head, then the rest of the upload; counts bytes for progress.
    Closing it leaves the caller's file open."""

    def __init__(self, head: bytes, rest):
        self._head = memoryview(head)
        self._rest = rest
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            count = min(len(buffer), len(self._head))
            buffer[:count] = self._head[:count]
            self._head = self._head[count:]
        else:
            data = self._rest.read(len(buffer))
            count = len(data)
            buffer[:count] = data
        self.bytes_read += count
        return count


class CsvSource:
    """Rows of a CSV file as lists of text, blank rows skipped, sizes bounded."""

    format = "csv"
    first_column = 0

    def __init__(self, raw: CountingReader, encoding: str, size: int | None, limits: Limits):
        self._raw = raw
        self._encoding = "UTF-8" if encoding == "utf-8-sig" else "GB18030"
        buffered = io.BufferedReader(raw, buffer_size=1 << 16)
        self._text = io.TextIOWrapper(
            buffered, encoding=encoding, errors="surrogateescape", newline=""
        )
        self._size = size
        self._limits = limits
        # Quotes double inside a quoted cell, hence 2x; +3 for the quotes and comma.
        self._max_record_chars = limits.max_columns * (2 * limits.max_cell_chars + 3)
        self._record_chars = 0
        self._row = 0
        self._records = csv.reader(self._physical_lines())

    @property
    def bytes_read(self) -> int:
        return self._raw.bytes_read

    @property
    def fraction_done(self) -> float:
        if not self._size:
            return 0.0
        return min(1.0, self._raw.bytes_read / self._size)

    def header(self) -> tuple[int, list[str]]:
        for row_number, record in self.rows():
            return row_number, record
        raise refuse("empty")

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(spreadsheet row number, cells without trailing empties) per non-blank row."""
        max_cells, max_chars = self._limits.max_columns, self._limits.max_cell_chars
        try:
            for record in self._records:
                self._row += 1
                record_chars, self._record_chars = self._record_chars, 0
                while record and not record[-1]:
                    record.pop()
                if not record or (not record[0].strip() and not "".join(record).strip()):
                    continue
                if len(record) > max_cells:
                    raise refuse("too_many_cells", row=self._row, count=len(record), max=max_cells)
                if record_chars > max_chars:  # only then can a cell be too long
                    check_cell_lengths(self._row, record, max_chars)
                yield self._row, record
        except csv.Error as error:
            raise refuse("csv", row=self._row + 1, detail=str(error)) from None

    def _physical_lines(self) -> Iterator[str]:
        """Lines for the csv module, each checked before it can cost memory:
        the running length of the current record is capped, so no line (or
        quoted multi-line cell) grows past a few hundred kB."""
        readline, limit = self._text.readline, self._max_record_chars
        suspicious = _SUSPICIOUS.search
        while True:
            line = readline(limit + 1)
            if not line:
                return
            self._record_chars += len(line)
            if self._record_chars > limit:
                raise refuse(
                    "row_too_long",
                    row=self._row + 1,
                    columns=self._limits.max_columns,
                    chars=self._limits.max_cell_chars,
                )
            if suspicious(line):
                raise self._unreadable(line)
            yield line

    def _unreadable(self, line: str) -> FileRefused:
        if _UNREADABLE.search(line):
            return refuse("encoding_at", row=self._row + 1, encoding=self._encoding)
        return refuse("binary_at", row=self._row + 1)

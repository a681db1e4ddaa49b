"""Reading ledger returns (CSV or XLSX) safely, as a stream of checked rows.

`read_ledger_file` sniffs the content (not the name), checks the header, and
returns a `LedgerReader`: iterate it for batches of valid `LedgerRow`s; bad
rows are collected in ``reader.errors``; a problem with the whole file raises
`FileRefused` (from `read_ledger_file` itself or while iterating).

Hostile or broken uploads are expected, so every size is bounded *before*
the work it would cost: see `csv_source` (a CSV's lines and cells),
`zipguard` (an XLSX's zip and XML, checked before python-calamine sees it)
and `xlsx_source`.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator
from datetime import date
from operator import itemgetter
from pathlib import PurePath

from qingqian.core.scoping import Scope
from qingqian.ledger.columns import (
    BY_KEY,
    COLUMNS,
    KEYS,
    READ_ONLY_BY_KEY,
    column_key_for_header,
)
from qingqian.ledger.imports.csv_source import CountingReader, CsvSource
from qingqian.ledger.imports.refusal import (
    DEFAULT_MAX_CELL_CHARS,
    DEFAULT_MAX_COLUMNS,
    DEFAULT_MAX_ROWS,
    DEFAULT_MAX_UNCOMPRESSED_BYTES,
    DEFAULT_MAX_ZIP_MEMBERS,
    MESSAGES,
    FileRefused,
    Limits,
    column_letter,
    refuse,
)
from qingqian.ledger.imports.rows import LedgerRow, RowError, cell_text
from qingqian.ledger.imports.validate import RowValidator
from qingqian.ledger.imports.xlsx_source import XlsxSource, seekable_upload

DEFAULT_BATCH_SIZE = 5000
# Rows validated together: enough for the columnar checks to pay their
# fixed cost, few enough that a chunk's cells and rows stay small in memory.
DEFAULT_CHUNK_ROWS = 10_000
DEFAULT_MAX_ERRORS = 100_000
SNIFF_BYTES = 256 * 1024

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted .xlsx
TEXT_EXTENSIONS = frozenset({".csv", ".txt", ""})
# Control characters never typed into a ledger: their presence means binary data.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# --- entry point ---------------------------------------------------------------


def read_ledger_file(
    fileobj,
    filename: str | None,
    *,
    scope: Scope,
    today: date,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_columns: int = DEFAULT_MAX_COLUMNS,
    max_cell_chars: int = DEFAULT_MAX_CELL_CHARS,
    max_uncompressed_bytes: int = DEFAULT_MAX_UNCOMPRESSED_BYTES,
    max_zip_members: int = DEFAULT_MAX_ZIP_MEMBERS,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_errors: int = DEFAULT_MAX_ERRORS,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    columnar: bool = True,
) -> LedgerReader:
    """Open a return (a binary file object) and check its header; raises
    `FileRefused`. The caller keeps ownership of ``fileobj`` (it is not closed).
    ``columnar=False`` checks row by row with the reference `RowValidator`
    (same results: the tests compare both)."""
    limits = Limits(max_rows, max_columns, max_cell_chars, max_uncompressed_bytes, max_zip_members)
    source = _open_source(fileobj, filename or "", limits)
    if columnar:
        # Imported here: polars costs 0.3 s and 38 MB, which the web processes
        # that only queue imports need not pay.
        from qingqian.ledger.imports.columnar import ColumnarValidator

        validator_class = ColumnarValidator
    else:
        validator_class = RowValidator
    validator = validator_class(scope=scope, today=today)
    return LedgerReader(
        source,
        validator,
        limits,
        batch_size=batch_size,
        max_errors=max_errors,
        chunk_rows=chunk_rows,
    )


def _open_source(fileobj, filename: str, limits: Limits):
    size = _remaining_size(fileobj)
    head = _read_head(fileobj)
    extension = PurePath(filename).suffix.lower()
    if not head:
        raise refuse("empty")
    if head.startswith(ZIP_MAGIC):
        return XlsxSource(seekable_upload(head, fileobj, limits), limits)
    if head.startswith(OLE2_MAGIC) or extension == ".xls":
        raise refuse("legacy")
    encoding = _text_encoding(head, at_end=len(head) < SNIFF_BYTES)
    if extension not in TEXT_EXTENSIONS:  # e.g. an HTML table saved as ".xlsx"
        raise refuse("not_readable")
    return CsvSource(CountingReader(head, fileobj), encoding, size, limits)


def _read_head(fileobj) -> bytes:
    parts, wanted = [], SNIFF_BYTES
    while wanted:
        part = fileobj.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)


def _remaining_size(fileobj) -> int | None:
    """Bytes from the current position to the end, when knowable (for progress)."""
    try:
        if fileobj.seekable():
            here = fileobj.tell()
            end = fileobj.seek(0, os.SEEK_END)
            fileobj.seek(here)
            return end - here
    except (AttributeError, OSError, ValueError):
        pass
    size = getattr(fileobj, "size", None)
    return size if isinstance(size, int) else None


def _text_encoding(head: bytes, *, at_end: bool) -> str:
    """UTF-8 (with or without BOM) if the first bytes decode as such, else GB18030."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise refuse("utf16")
    if b"\x00" in head:
        raise refuse("binary")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=at_end)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):
            raise refuse("binary")
        return encoding
    raise refuse("encoding")


# --- the reader ------------------------------------------------------------------


class LedgerReader:
    """Iterate for batches (lists of at most ``batch_size`` valid rows).

    While and after iterating: ``rows_read`` (data rows so far), ``errors``
    (every `RowError`, up to ``max_errors``; ``error_count`` counts all),
    ``fraction_done`` (0..1, for a progress bar; from the byte position for
    CSV, the row position for XLSX). Iterating may raise `FileRefused`.
    ``validator`` checks ``chunk_rows`` rows at a time (`validate_chunk`).
    """

    def __init__(self, source, validator, limits: Limits, *, batch_size, max_errors, chunk_rows):
        self.source = source
        self.format = source.format
        self._validator = validator
        self._limits = limits
        self._batch_size = batch_size
        self._chunk_rows = chunk_rows
        self._max_errors = max_errors
        self._header_row, keys = source.header()
        self._keys = _check_header(keys, self._header_row, limits)
        self._width = len(self._keys)
        self._has_unnamed = None in self._keys
        # Picks a record's cells in COLUMNS order; an absent column picks the
        # None appended after the record's last cell.
        positions = {key: index for index, key in enumerate(self._keys) if key}
        self._pick = itemgetter(*(positions.get(key, self._width) for key in KEYS))
        self.rows_read = 0
        self.error_count = 0
        self.errors: list[RowError] = []

    @property
    def fraction_done(self) -> float:
        return self.source.fraction_done

    @property
    def bytes_read(self) -> int:
        return self.source.bytes_read

    def __iter__(self) -> Iterator[list[LedgerRow]]:
        batch: list[LedgerRow] = []
        for lines, records, strays in self._chunks():
            results = self._validator.validate_chunk(lines, records)
            for stray, result in zip(strays, results, strict=True):
                if stray or type(result) is list:
                    self._add_errors(stray + (result if type(result) is list else []))
                else:
                    batch.append(result)
                    if len(batch) >= self._batch_size:
                        yield batch
                        batch = []
        if self.rows_read == 0:
            raise refuse("no_data")
        if batch:
            yield batch

    def _chunks(self) -> Iterator[tuple[list[int], list[tuple], list[list[RowError]]]]:
        """The data rows in chunks for the validator: row numbers, cells in
        COLUMNS order, and the errors of cells in unnamed columns."""
        lines, records, strays = [], [], []
        max_rows = self._limits.max_rows
        for row_number, record in self.source.rows():
            self.rows_read += 1
            if self.rows_read > max_rows:
                raise refuse("too_many_rows", max=max_rows)
            strays.append(self._stray_values(row_number, record))
            lines.append(row_number)
            records.append(self._values(record))
            if len(lines) == self._chunk_rows:
                yield lines, records, strays
                lines, records, strays = [], [], []
        if lines:
            yield lines, records, strays

    def take_errors(self) -> list[RowError]:
        """The errors collected so far, forgetting them (to stream them elsewhere)."""
        errors, self.errors = self.errors, []
        return errors

    def _values(self, record: list) -> tuple:
        """The record's cells in COLUMNS order (None for a column the file lacks)."""
        if len(record) > self._width:
            del record[self._width :]  # their values were reported as stray
        elif len(record) < self._width:
            record.extend([""] * (self._width - len(record)))
        record.append(None)
        return self._pick(record)

    def _stray_values(self, row_number: int, record: list) -> list[RowError]:
        """Errors for values in columns without a header."""
        if len(record) <= self._width and not self._has_unnamed:
            return []
        errors = []
        for index, value in enumerate(record):
            unnamed = index >= self._width or self._keys[index] is None
            if unnamed and cell_text(value).strip():
                letter = column_letter(index + self.source.first_column)
                reason = str(MESSAGES["unnamed_column"] % {"column": letter})
                errors.append(RowError(row_number, letter, cell_text(value)[:200], reason))
        return errors

    def _add_errors(self, errors: list[RowError]) -> None:
        self.error_count += len(errors)
        room = self._max_errors - len(self.errors)
        if room > 0:
            self.errors.extend(errors[:room])


def _check_header(cells: list, row_number: int, limits: Limits) -> list[str | None]:
    """Column key of each header cell (None for an empty cell); refuses a header
    that misses required columns, names unknown ones or names one twice. The
    read-only columns of an export get their key too: the row's values are picked
    by the template's keys only, so their cells are read past."""
    names = [cell_text(cell).strip().lstrip("\ufeff") for cell in cells]
    if len(names) > limits.max_columns:
        raise refuse("too_many_cells", row=row_number, count=len(names), max=limits.max_columns)
    keys = [column_key_for_header(name) if name else None for name in names]
    unknown = [name[:40] for name, key in zip(names, keys, strict=True) if name and key is None]
    duplicates = sorted({key for key in keys if key and keys.count(key) > 1}, key=keys.index)
    present = set(keys)
    missing = [c.header for c in COLUMNS if c.required and c.key not in present]
    problems = []
    if missing:
        problems.append(MESSAGES["missing_columns"] % {"columns": ", ".join(missing)})
    if unknown:
        problems.append(MESSAGES["unknown_columns"] % {"columns": ", ".join(unknown)})
    if duplicates:
        named = {**BY_KEY, **READ_ONLY_BY_KEY}
        headers = ", ".join(named[key].header for key in duplicates)
        problems.append(MESSAGES["duplicate_columns"] % {"columns": headers})
    if problems:
        raise FileRefused(" ".join(str(problem) for problem in problems))
    return keys

"""Reading ledger returns (CSV or XLSX) safely, as a stream of checked rows.

`read_ledger_file` sniffs the content (not the name), checks the header, and
returns a `LedgerReader`: iterate it for batches of valid `LedgerRow`s; bad
rows are collected in ``reader.errors``; a problem with the whole file raises
`FileRefused` (from `read_ledger_file` itself or while iterating).

Hostile or broken uploads are expected, so every size is bounded *before*
the work it would cost:

* CSV is decoded through ``io.TextIOWrapper`` and read one physical line at a
  time with a length cap, so a row of a million cells or a 10 MB cell is
  refused after reading about 200 kB, and memory stays flat however many rows
  the file has. We check cell sizes ourselves rather than lowering
  ``csv.field_size_limit``, which is process-wide state other readers share.
* XLSX is a zip: before python-calamine sees it, the declared sizes, the
  compression ratios and the member count are checked, every member is
  decompressed once with its real size counted (a header may lie), and the
  first sheet's XML is scanned for where its cells reach. calamine allocates a
  dense rows x columns grid and a shared-string table of the size the file
  claims, so two cells at A1 and XFD1048576 (7 kB of zip), or a lying
  ``uniqueCount``, would otherwise abort the whole process. calamine reads the
  sheet into memory (it has no lazy reader); the 200 MB cap bounds that.
"""

from __future__ import annotations

import codecs
import copy
import csv
import io
import os
import posixpath
import re
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from pathlib import PurePath

from defusedxml import DefusedXmlException, ElementTree
from django.utils.translation import gettext_lazy as _
from python_calamine import CalamineWorkbook

from qingqian.core.scoping import Scope
from qingqian.ledger.columns import BY_KEY, COLUMNS, KEYS, column_key_for_header
from qingqian.ledger.rows import LedgerRow, RowError, RowValidator, cell_text

DEFAULT_MAX_ROWS = 2_000_000
DEFAULT_MAX_COLUMNS = 50
DEFAULT_MAX_CELL_CHARS = 2000
DEFAULT_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
DEFAULT_MAX_ZIP_MEMBERS = 1000
DEFAULT_BATCH_SIZE = 5000
DEFAULT_MAX_ERRORS = 100_000
SNIFF_BYTES = 256 * 1024
BOMB_RATIO = 100
BOMB_MIN_BYTES = 1024 * 1024
MAX_WORKBOOK_PART_BYTES = 10 * 1024 * 1024  # workbook.xml and its rels, parsed whole
READ_CHUNK = 1024 * 1024

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted .xlsx
TEXT_EXTENSIONS = frozenset({".csv", ".txt", ""})
# Control characters never typed into a ledger: their presence means binary data.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Bytes the decoder could not read, kept as lone surrogates (errors="surrogateescape")
# so that the line holding them, not the 8 kB chunk around it, is reported.
_UNREADABLE = re.compile(r"[\udc80-\udcff]")
_SUSPICIOUS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\udc80-\udcff]")

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


def _refuse(key: str, **params) -> FileRefused:
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


def _column_number(letters: bytes | str) -> int:
    """A -> 1, AA -> 27 (the inverse of column_letter, 1-based)."""
    number = 0
    for char in letters.decode() if isinstance(letters, bytes) else letters:
        number = number * 26 + ord(char) - ord("A") + 1
    return number


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
) -> LedgerReader:
    """Open a return (a binary file object) and check its header; raises
    `FileRefused`. The caller keeps ownership of ``fileobj`` (it is not closed)."""
    limits = Limits(max_rows, max_columns, max_cell_chars, max_uncompressed_bytes, max_zip_members)
    source = _open_source(fileobj, filename or "", limits)
    validator = RowValidator(scope=scope, today=today)
    return LedgerReader(source, validator, limits, batch_size=batch_size, max_errors=max_errors)


def _open_source(fileobj, filename: str, limits: Limits):
    size = _remaining_size(fileobj)
    head = _read_head(fileobj)
    extension = PurePath(filename).suffix.lower()
    if not head:
        raise _refuse("empty")
    if head.startswith(ZIP_MAGIC):
        return XlsxSource(_seekable(head, fileobj, limits), limits)
    if head.startswith(OLE2_MAGIC) or extension == ".xls":
        raise _refuse("legacy")
    encoding = _text_encoding(head, at_end=len(head) < SNIFF_BYTES)
    if extension not in TEXT_EXTENSIONS:  # e.g. an HTML table saved as ".xlsx"
        raise _refuse("not_readable")
    return CsvSource(_CountingReader(head, fileobj), encoding, size, limits)


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
        raise _refuse("utf16")
    if b"\x00" in head:
        raise _refuse("binary")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=at_end)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):
            raise _refuse("binary")
        return encoding
    raise _refuse("encoding")


# --- the reader ------------------------------------------------------------------


class LedgerReader:
    """Iterate for batches (lists of at most ``batch_size`` valid rows).

    While and after iterating: ``rows_read`` (data rows so far), ``errors``
    (every `RowError`, up to ``max_errors``; ``error_count`` counts all),
    ``fraction_done`` (0..1, for a progress bar; from the byte position for
    CSV, the row position for XLSX). Iterating may raise `FileRefused`.
    """

    def __init__(self, source, validator: RowValidator, limits: Limits, *, batch_size, max_errors):
        self.source = source
        self.format = source.format
        self._validator = validator
        self._limits = limits
        self._batch_size = batch_size
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
        validate, max_rows = self._validator.validate_values, self._limits.max_rows
        for row_number, record in self.source.rows():
            self.rows_read += 1
            if self.rows_read > max_rows:
                raise _refuse("too_many_rows", max=max_rows)
            stray = self._stray_values(row_number, record)
            result = validate(row_number, self._values(record))
            if stray or type(result) is list:
                self._add_errors(stray + (result if type(result) is list else []))
            else:
                batch.append(result)
                if len(batch) >= self._batch_size:
                    yield batch
                    batch = []
        if self.rows_read == 0:
            raise _refuse("no_data")
        if batch:
            yield batch

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
    that misses required columns, names unknown ones or names one twice."""
    names = [cell_text(cell).strip().lstrip("\ufeff") for cell in cells]
    if len(names) > limits.max_columns:
        raise _refuse("too_many_cells", row=row_number, count=len(names), max=limits.max_columns)
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
        headers = ", ".join(BY_KEY[key].header for key in duplicates)
        problems.append(MESSAGES["duplicate_columns"] % {"columns": headers})
    if problems:
        raise FileRefused(" ".join(str(problem) for problem in problems))
    return keys


# --- CSV -----------------------------------------------------------------------------


class _CountingReader(io.RawIOBase):
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

    def __init__(self, raw: _CountingReader, encoding: str, size: int | None, limits: Limits):
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
        raise _refuse("empty")

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
                    raise _refuse("too_many_cells", row=self._row, count=len(record), max=max_cells)
                if record_chars > max_chars:  # only then can a cell be too long
                    _check_cell_lengths(self._row, record, max_chars)
                yield self._row, record
        except csv.Error as error:
            raise _refuse("csv", row=self._row + 1, detail=str(error)) from None

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
                raise _refuse(
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
            return _refuse("encoding_at", row=self._row + 1, encoding=self._encoding)
        return _refuse("binary_at", row=self._row + 1)


def _check_cell_lengths(row_number: int, record: list, max_chars: int, first_column=0) -> None:
    for index, value in enumerate(record):
        if type(value) is str and len(value) > max_chars:
            letter = column_letter(first_column + index)
            raise _refuse("cell_too_long", row=row_number, column=letter, max=max_chars)


# --- XLSX ----------------------------------------------------------------------------


def _seekable(head: bytes, fileobj, limits: Limits):
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
            raise _refuse("zip_too_big", mb=limits.max_uncompressed_bytes // 2**20)
        spool.write(chunk)
    spool.seek(0)
    return spool


class XlsxSource:
    """Rows of the first sheet of a checked workbook, read with python-calamine."""

    format = "xlsx"
    bytes_read = 0

    def __init__(self, file, limits: Limits):
        _check_workbook(file, limits)
        file.seek(0)
        try:
            self._workbook = CalamineWorkbook.from_filelike(file)
            self._sheet = self._workbook.get_sheet_by_index(0)
        except Exception:  # calamine's errors share no base class but Exception
            raise _refuse("zip_invalid") from None
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
        raise _refuse("empty")

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
            _check_cell_lengths(row_number, values, max_chars, self.first_column)
            yield row_number, values


def _blank(value) -> bool:
    return value == "" or (type(value) is str and not value.strip())


def _check_workbook(file, limits: Limits) -> None:
    """Everything about the zip that can hurt, checked before calamine opens it."""
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise _refuse("zip_invalid") from None
    with archive:
        members = archive.infolist()
        _check_declared_sizes(members, limits)
        names = {member.filename for member in members}
        if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
            raise _refuse("zip_invalid")
        first_sheet = _first_sheet_part(archive)
        for member in members:
            _verify_member(archive, member, _scanner_for(member.filename, first_sheet), limits)


def _check_declared_sizes(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(members) > limits.max_zip_members:
        raise _refuse("zip_members", count=len(members), max=limits.max_zip_members)
    if sum(member.file_size for member in members) > limits.max_uncompressed_bytes:
        raise _refuse("zip_too_big", mb=limits.max_uncompressed_bytes // 2**20)
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > BOMB_MIN_BYTES and ratio > BOMB_RATIO:
            raise _refuse("zip_bomb", part=member.filename, ratio=ratio)


def _first_sheet_part(archive: zipfile.ZipFile) -> str:
    """The zip path of the workbook's first sheet (the one calamine reads)."""
    try:
        workbook = _parse_small_part(archive, "xl/workbook.xml")
        rels = _parse_small_part(archive, "xl/_rels/workbook.xml.rels")
        sheet = next(el for el in workbook.iter() if el.tag.rsplit("}", 1)[-1] == "sheet")
        rel_id = next(value for name, value in sheet.attrib.items() if name.endswith("}id"))
        target = next(el.get("Target") for el in rels.iter() if el.get("Id") == rel_id)
    except (
        KeyError,
        StopIteration,
        ElementTree.ParseError,
        DefusedXmlException,
        zipfile.BadZipFile,
    ):
        raise _refuse("zip_invalid") from None
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join("xl", target))


def _parse_small_part(archive: zipfile.ZipFile, name: str):
    if archive.getinfo(name).file_size > MAX_WORKBOOK_PART_BYTES:
        raise _refuse("zip_invalid")
    # zipfile stops at the declared size and checks the CRC; defusedxml refuses
    # any DTD, entity or external reference (a workbook part has none), whatever
    # the expat it runs on.
    return ElementTree.fromstring(archive.read(name))


def _scanner_for(name: str, first_sheet: str):
    if name == first_sheet:
        return SheetExtent()
    if name.lower().endswith("sharedstrings.xml"):
        return SharedStringCount()
    return None


def _verify_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, scanner, limits) -> None:
    """Decompress the member once, counting its real size: a header may declare
    100 bytes for a gigabyte. zipfile would stop at the declared size (and
    then fail the CRC), so we lift that stop and refuse at the first chunk
    that goes past the declared size."""
    probe = copy.copy(member)
    probe.file_size = 2**62
    actual = 0
    try:
        with archive.open(probe) as stream:
            while chunk := stream.read(READ_CHUNK):
                actual += len(chunk)
                if actual > member.file_size:
                    raise _refuse("zip_lying", part=member.filename)
                if scanner:
                    scanner.feed(chunk)
    except FileRefused:
        raise
    except Exception:  # bad CRC, encryption, unknown compression, truncated data...
        raise _refuse("zip_invalid") from None
    if scanner:
        scanner.finish(limits)


class _XmlScan:
    """Feeds XML text in chunks to ``_scan`` without splitting a tag in two."""

    def __init__(self):
        self._carry = b""

    def feed(self, chunk: bytes) -> None:
        data = self._carry + chunk
        cut = data.rfind(b"<")
        if cut != -1 and data.find(b">", cut) == -1:  # a tag continues in the next chunk
            data, self._carry = data[:cut], data[cut:]
            if len(self._carry) > 65536:
                raise _refuse("zip_invalid")
        else:
            self._carry = b""
        self._scan(data)

    def finish(self, limits: Limits) -> None:
        self._scan(self._carry)
        self._carry = b""
        self._judge(limits)

    def _scan(self, data: bytes) -> None:
        raise NotImplementedError

    def _judge(self, limits: Limits) -> None:
        raise NotImplementedError


_PREFIX = rb"<(?:[A-Za-z_][\w.-]*:)?"
_CELL_TAG = re.compile(_PREFIX + rb"c[\s/>]")
_CELL_REF = re.compile(_PREFIX + rb"c\s[^>]*?\br\s*=\s*[\"']([A-Z]{1,3})([0-9]{1,7})[\"']")
_SHARED_STRING = re.compile(_PREFIX + rb"si[\s/>]")
_SST_TAG_COUNT = re.compile(_PREFIX + rb"sst\s[^>]*?\buniqueCount\s*=\s*[\"']\s*([0-9]+)")


class SheetExtent(_XmlScan):
    """How far a worksheet's cells reach, to refuse a sheet whose dense grid
    (what calamine allocates) would dwarf its content."""

    def __init__(self):
        super().__init__()
        self.cells = self.cells_with_ref = self.max_row = self.max_column = 0

    def _scan(self, data: bytes) -> None:
        self.cells += len(_CELL_TAG.findall(data))
        refs = _CELL_REF.findall(data)
        if refs:
            self.cells_with_ref += len(refs)
            self.max_row = max(self.max_row, max(int(digits) for _, digits in refs))
            letters = {letters for letters, _ in refs}
            self.max_column = max(self.max_column, max(map(_column_number, letters)))

    def _judge(self, limits: Limits) -> None:
        if self.cells != self.cells_with_ref:
            # Without positions we cannot bound the grid (calamine counts them).
            raise _refuse("sheet_refless")
        if self.max_column > limits.max_columns:
            letter = column_letter(self.max_column - 1)
            raise _refuse("sheet_columns", column=letter, max=limits.max_columns)
        # A real sheet is mostly filled; leave room for blank rows and empty optional cells.
        if self.max_row * self.max_column > 2 * self.cells + 100_000:
            letter = column_letter(self.max_column - 1)
            raise _refuse("sheet_sparse", rows=self.max_row, column=letter)


class SharedStringCount(_XmlScan):
    """calamine reserves room for ``uniqueCount`` strings up front (24 bytes
    each), so a table must not claim more strings than it holds."""

    def __init__(self):
        super().__init__()
        self.claimed = 0
        self.held = 0

    def _scan(self, data: bytes) -> None:
        # Every <sst ...> tag counts, wherever it is (comments may precede the root).
        claims = _SST_TAG_COUNT.findall(data)
        if claims:
            self.claimed = max(self.claimed, *map(int, claims))
        self.held += len(_SHARED_STRING.findall(data))

    def _judge(self, limits: Limits) -> None:
        if self.claimed > self.held + 1024:
            raise _refuse("shared_strings")

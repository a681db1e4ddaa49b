"""The zip-bomb guard: an XLSX is a zip, checked before python-calamine sees it.

The declared sizes, the compression ratios and the member count are checked,
every member is decompressed once with its real size counted (a header may
lie), and the first sheet's XML is scanned for where its cells reach.
calamine allocates a dense rows x columns grid and a shared-string table of
the size the file claims, so two cells at A1 and XFD1048576 (7 kB of zip), or
a lying ``uniqueCount``, would otherwise abort the whole process.
"""

from __future__ import annotations

import copy
import posixpath
import re
import zipfile

from defusedxml import DefusedXmlException, ElementTree

from qingqian.ledger.imports.refusal import FileRefused, Limits, column_letter, refuse

BOMB_RATIO = 100
BOMB_MIN_BYTES = 1024 * 1024
MAX_WORKBOOK_PART_BYTES = 10 * 1024 * 1024  # workbook.xml and its rels, parsed whole
READ_CHUNK = 1024 * 1024


def _column_number(letters: bytes | str) -> int:
    """A -> 1, AA -> 27 (the inverse of column_letter, 1-based)."""
    number = 0
    for char in letters.decode() if isinstance(letters, bytes) else letters:
        number = number * 26 + ord(char) - ord("A") + 1
    return number


def check_workbook(file, limits: Limits) -> None:
    """Everything about the zip that can hurt, checked before calamine opens it."""
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise refuse("zip_invalid") from None
    with archive:
        members = archive.infolist()
        _check_declared_sizes(members, limits)
        names = {member.filename for member in members}
        if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
            raise refuse("zip_invalid")
        first_sheet = _first_sheet_part(archive)
        for member in members:
            _verify_member(archive, member, _scanner_for(member.filename, first_sheet), limits)


def _check_declared_sizes(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(members) > limits.max_zip_members:
        raise refuse("zip_members", count=len(members), max=limits.max_zip_members)
    if sum(member.file_size for member in members) > limits.max_uncompressed_bytes:
        raise refuse("zip_too_big", mb=limits.max_uncompressed_bytes // 2**20)
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > BOMB_MIN_BYTES and ratio > BOMB_RATIO:
            raise refuse("zip_bomb", part=member.filename, ratio=ratio)


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
        raise refuse("zip_invalid") from None
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join("xl", target))


def _parse_small_part(archive: zipfile.ZipFile, name: str):
    if archive.getinfo(name).file_size > MAX_WORKBOOK_PART_BYTES:
        raise refuse("zip_invalid")
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
                    raise refuse("zip_lying", part=member.filename)
                if scanner:
                    scanner.feed(chunk)
    except FileRefused:
        raise
    except Exception:  # bad CRC, encryption, unknown compression, truncated data...
        raise refuse("zip_invalid") from None
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
                raise refuse("zip_invalid")
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
            raise refuse("sheet_refless")
        if self.max_column > limits.max_columns:
            letter = column_letter(self.max_column - 1)
            raise refuse("sheet_columns", column=letter, max=limits.max_columns)
        # A real sheet is mostly filled; leave room for blank rows and empty optional cells.
        if self.max_row * self.max_column > 2 * self.cells + 100_000:
            letter = column_letter(self.max_column - 1)
            raise refuse("sheet_sparse", rows=self.max_row, column=letter)


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
            raise refuse("shared_strings")

"""Ledger file layer: reading XLSX returns, and refusing hostile zips.

Plain tests, no database. Workbooks are written with XlsxWriter, then some
are taken apart with zipfile and reassembled with one hostile change. A
regression in the guards against calamine's up-front allocations would not
fail politely: the test process would abort, which is loud enough.
"""

import io
import random
import re
import struct
import time
import zipfile
from datetime import date, datetime

import pytest
import xlsxwriter
from django.utils import translation

from qingqian.core.scoping import Scope
from qingqian.ledger.columns import TEMPLATE_HEADER
from qingqian.ledger.imports.reader import read_ledger_file
from qingqian.ledger.imports.refusal import FileRefused
from qingqian.ledger.imports.rows import LedgerRow
from qingqian.ledger.writers import TEMPLATE_EXAMPLE, template_xlsx
from tests.ledger.reading import read_both_ways

SCOPE = Scope(region_prefix="44")
TODAY = date(2025, 6, 30)
DEBTOR = "114401000070000031"
CREDITOR = "91440101MA59PXJ1XG"
SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def typed_row(contract="HT-1", **overrides) -> list:
    """A good row as a spreadsheet holds it: real dates and numbers."""
    row = {
        "debtor_uscc": DEBTOR,
        "debtor_name": "示例市交通运输局",
        "debtor_type": "事业单位",
        "region_code": 440103,
        "creditor_uscc": CREDITOR,
        "creditor_name": "示例科技有限公司",
        "contract_number": contract,
        "contract_signed_on": date(2024, 1, 15),
        "subject": "goods",
        "due_on": datetime(2024, 3, 15),
        "amount_owed": 1000.5,
        "amount_paid": 100,
        "disputed_amount": None,
        "notes": None,
    }
    row.update(overrides)
    return list(row.values())


def xlsx_bytes(rows, header=TEMPLATE_HEADER, first_row=0, formulas=(), first_column=0) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
    table = [header, *rows] if header is not None else list(rows)
    for r, row in enumerate(table, start=first_row):
        for c, value in enumerate(row, start=first_column):
            if value is None:
                continue
            if isinstance(value, date):
                sheet.write_datetime(r, c, value, dates)
            elif isinstance(value, (int, float)):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, value)
    for r, c, formula, value in formulas:
        sheet.write_formula(r, c, formula, None, value)
    workbook.close()
    return buffer.getvalue()


def rezip(data: bytes, changes: dict) -> bytes:
    """The same zip with some members' bytes changed by functions (or added)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            change = changes.get(info.filename)
            target.writestr(info.filename, change(content) if change else content)
        for name, content in changes.items():
            if isinstance(content, bytes):
                target.writestr(name, content)
    return buffer.getvalue()


def read(data: bytes, filename="return.xlsx", **limits):
    """All valid rows and the reader; read both ways (tests/ledger/reading.py)."""
    return read_both_ways(data, filename, scope=SCOPE, today=TODAY, **limits)


def refusal(data: bytes, filename="return.xlsx", **limits) -> str:
    with pytest.raises(FileRefused) as caught:
        read(data, filename, **limits)
    return caught.value.message


# --- good workbooks ------------------------------------------------------------------------


def test_a_workbook_with_typed_cells_is_read():
    rows, reader = read(xlsx_bytes([typed_row("HT-1"), typed_row(2023001)]))
    assert reader.errors == []
    assert reader.format == "xlsx"
    assert rows[0] == LedgerRow(
        line=2,
        debtor_uscc=DEBTOR,
        debtor_name="示例市交通运输局",
        debtor_type="institution",
        region_code="440103",
        creditor_uscc=CREDITOR,
        creditor_name="示例科技有限公司",
        contract_number="HT-1",
        contract_signed_on=date(2024, 1, 15),
        subject="goods",
        due_on=date(2024, 3, 15),
        owed_fen=100_050,
        paid_fen=10_000,
        disputed_fen=0,
        notes="",
    )
    assert (rows[1].line, rows[1].contract_number) == (3, "2023001")
    assert reader.rows_read == 2
    assert reader.fraction_done == 1.0


def test_the_xlsx_template_imports_cleanly():
    buffer = io.BytesIO()
    template_xlsx(buffer)
    rows, reader = read(buffer.getvalue())
    assert reader.errors == []
    [row] = rows
    assert row.key == (
        TEMPLATE_EXAMPLE["debtor_uscc"],
        TEMPLATE_EXAMPLE["creditor_uscc"],
        TEMPLATE_EXAMPLE["contract_number"],
    )
    assert (row.owed_fen, row.paid_fen, row.disputed_fen) == (12_500_000, 2_500_000, 0)
    assert (row.contract_signed_on, row.due_on) == (date(2024, 1, 15), date(2024, 3, 15))
    assert row.region_code == TEMPLATE_EXAMPLE["region_code"]


def test_the_content_decides_not_the_name():
    rows, reader = read(xlsx_bytes([typed_row()]), filename="return.csv")
    assert reader.format == "xlsx" and len(rows) == 1


def test_rows_keep_spreadsheet_numbers_around_blank_rows():
    data = xlsx_bytes(
        [typed_row("HT-1"), [None] * 14, typed_row("HT-2", amount_owed=-5)], first_row=2
    )
    rows, reader = read(data)
    assert [row.line for row in rows] == [4]  # header on row 3
    assert [(error.row, error.column) for error in reader.errors] == [(6, "amount_owed")]


def test_formula_cells_give_their_values_but_formula_text_is_refused():
    data = xlsx_bytes(
        [typed_row("HT-1"), typed_row("HT-2", debtor_name="=1+1")],
        formulas=[(1, 10, "=1000+500", 1500)],  # amount_owed of HT-1
    )
    rows, reader = read(data)
    assert [(row.contract_number, row.owed_fen) for row in rows] == [("HT-1", 150_000)]
    [error] = reader.errors
    assert (error.row, error.column, error.value) == (3, "debtor_name", "=1+1")
    assert "formulas are not accepted" in error.reason


def test_a_credit_code_stored_as_a_number_is_a_row_error():
    rows, reader = read(xlsx_bytes([typed_row(debtor_uscc=914401017000000000)]))
    assert rows == []
    assert [error.column for error in reader.errors] == ["debtor_uscc"]


def test_a_non_seekable_upload_is_spooled():
    data = xlsx_bytes([typed_row()])

    class Stream(io.RawIOBase):
        def __init__(self):
            self._data = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, buffer):
            return self._data.readinto(buffer)

    reader = read_ledger_file(Stream(), "r.xlsx", scope=SCOPE, today=TODAY)
    assert [row.contract_number for batch in reader for row in batch] == ["HT-1"]


# --- bad workbooks ---------------------------------------------------------------------------


def test_an_empty_sheet_is_refused():
    assert "empty" in refusal(xlsx_bytes([], header=None))


def test_a_header_without_rows_is_refused():
    assert "no data rows" in refusal(xlsx_bytes([]))


def test_header_problems_are_named():
    message = refusal(xlsx_bytes([], header=["debtor_uscc", "备注", "notes", "电话"]))
    assert "lacks required columns" in message and "debtor_name" in message
    assert "unknown columns: 电话" in message
    assert "more than once" in message


def test_a_long_cell_is_refused():
    message = refusal(xlsx_bytes([typed_row(notes="x" * 2001)]))
    assert "Row 2, column N: a cell may have at most 2000 characters" in message


def test_a_table_placed_to_the_right_is_read_and_named_by_its_real_columns():
    rows, reader = read(xlsx_bytes([typed_row("HT-1")], first_column=2))
    assert [row.contract_number for row in rows] == ["HT-1"]
    message = refusal(xlsx_bytes([typed_row(notes="x" * 2001)], first_column=2))
    assert "Row 2, column P" in message


def test_too_many_columns_are_refused():
    assert "reaches column AY" in refusal(xlsx_bytes([], header=[f"c{i}" for i in range(51)]))


def test_a_cell_at_the_far_corner_is_refused_before_calamine_allocates_the_grid():
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_string(0, 0, "debtor_uscc")
    sheet.write_string(1_048_575, 16_383, "x")  # XFD1048576: a 17-billion-cell grid
    workbook.close()
    assert len(buffer.getvalue()) < 10_000
    assert "reaches column XFD" in refusal(buffer.getvalue())


def test_a_sheet_reaching_far_down_with_little_data_is_refused():
    data = xlsx_bytes([typed_row()])

    def far_cell(xml: bytes) -> bytes:
        return xml.replace(
            b"</sheetData>", b'<row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData>'
        )

    message = refusal(rezip(data, {SHEET: far_cell}))
    assert "reach row 1048576" in message and "delete the empty rows" in message


def test_cells_without_positions_are_refused():
    data = xlsx_bytes([typed_row()])

    def drop_refs(xml: bytes) -> bytes:
        return re.sub(rb'(<c) r="[A-Z]+[0-9]+"', rb"\1", xml)

    assert "leaves out cell positions" in refusal(rezip(data, {SHEET: drop_refs}))


def test_a_shared_string_table_claiming_too_much_is_refused():
    data = xlsx_bytes([typed_row()])

    def inflate(xml: bytes) -> bytes:
        return re.sub(rb'uniqueCount="[0-9]+"', b'uniqueCount="2000000000"', xml)

    assert "claims more strings" in refusal(rezip(data, {"xl/sharedStrings.xml": inflate}))


def _zeros_workbook(megabytes: int) -> bytes:
    """A zip whose sheet is ``megabytes`` MB of zeros, built in 1 MB steps."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open(SHEET, "w", force_zip64=True) as member:
            zeros = bytes(2**20)
            for _ in range(megabytes):
                member.write(zeros)
    return buffer.getvalue()


def test_a_500_megabyte_zip_bomb_is_refused_at_once():
    bomb = _zeros_workbook(500)
    assert len(bomb) < 3 * 2**20
    started = time.perf_counter()
    message = refusal(bomb)
    assert time.perf_counter() - started < 2  # judged on the directory, nothing inflated
    assert "unpacks to more than 200 MB" in message


def test_a_part_compressed_beyond_100_to_1_is_refused():
    message = refusal(_zeros_workbook(20))
    assert f"{SHEET} is compressed" in message and "zip bomb" in message


def test_the_uncompressed_limit_can_be_lowered():
    data = rezip(
        xlsx_bytes([typed_row()]), {"xl/media/noise.bin": random.Random(1).randbytes(2**20)}
    )
    assert "unpacks to more than 1 MB" in refusal(data, max_uncompressed_bytes=2**20)
    assert len(read(data)[0]) == 1


def test_too_many_parts_are_refused():
    data = xlsx_bytes([typed_row()])
    count = len(zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert f"has {count} parts; at most 5" in refusal(data, max_zip_members=5)


def _patch_directory(data: bytes, name: str, offset: int, value: int) -> bytes:
    """Rewrite a 4-byte field of one member's central directory entry
    (16: CRC-32, 24: uncompressed size)."""
    patched = bytearray(data)
    position = patched.find(b"PK\x01\x02")
    while position != -1:
        name_length = struct.unpack_from("<H", patched, position + 28)[0]
        if patched[position + 46 : position + 46 + name_length] == name.encode():
            struct.pack_into("<I", patched, position + offset, value)
            return bytes(patched)
        position = patched.find(b"PK\x01\x02", position + 46)
    raise AssertionError(f"{name} not in the zip")


def test_a_part_larger_than_its_header_says_is_refused():
    data = xlsx_bytes([typed_row(notes="n" * 1500)])
    actual = zipfile.ZipFile(io.BytesIO(data)).getinfo(SHEET).file_size
    message = refusal(_patch_directory(data, SHEET, 24, actual // 2))
    assert f"{SHEET} is larger than its header says" in message


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    assert "not an Excel workbook" in refusal(buffer.getvalue(), "return.docx")


def test_a_workbook_part_declaring_entities_is_refused():
    """A DTD has no business in a workbook part: an entity bomb is never expanded."""

    def with_entities(xml: bytes) -> bytes:
        declaration = b'<!DOCTYPE workbook [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        return xml.replace(b"?>", b"?>" + declaration, 1)

    data = rezip(xlsx_bytes([typed_row()]), {"xl/workbook.xml": with_entities})
    assert "not an Excel workbook" in refusal(data)


def test_a_truncated_workbook_is_refused():
    data = xlsx_bytes([typed_row()])
    assert "damaged" in refusal(data[: len(data) // 2])


def test_a_workbook_with_a_bad_checksum_is_refused():
    data = xlsx_bytes([typed_row()])
    crc = zipfile.ZipFile(io.BytesIO(data)).getinfo(SHEET).CRC
    assert "damaged" in refusal(_patch_directory(data, SHEET, 16, crc ^ 1))

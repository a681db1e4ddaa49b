"""Ledger file layer: reading CSV returns safely, in a stream.

Plain tests, no database. XLSX reading is in test_files_xlsx.py, row
checking in test_files_rows.py, writing in test_files_writers.py.
"""

import codecs
import csv
import io
import random
import time
import tracemalloc
from datetime import date

import pytest
from django.utils import translation

from qingqian.core.scoping import EVERYTHING, Scope
from qingqian.ledger.columns import KEYS, TEMPLATE_HEADER
from qingqian.ledger.imports.reader import read_ledger_file
from qingqian.ledger.imports.refusal import FileRefused
from qingqian.ledger.imports.rows import LedgerRow
from qingqian.ledger.writers import TEMPLATE_EXAMPLE, template_csv
from tests.ledger.reading import read_both_ways

SCOPE = Scope(region_prefix="44")
TODAY = date(2025, 6, 30)
DEBTOR = "114401000070000031"
CREDITOR = "91440101MA59PXJ1XG"
GOOD = [
    DEBTOR,
    "示例市交通运输局",
    "机关",
    "440100",
    CREDITOR,
    "示例科技有限公司",
    "HT-1",
    "2024-01-15",
    "服务",
    "2024-03-15",
    "1,000.50",
    "100",
    "0",
    "备注：无",
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def good(contract: str = "HT-1", **overrides) -> list[str]:
    row = dict(zip(KEYS, GOOD, strict=True))
    row.update(contract_number=contract, **overrides)
    return list(row.values())


def csv_bytes(rows, header=TEMPLATE_HEADER, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def read(data: bytes, filename="return.csv", scope=SCOPE, **limits):
    """All valid rows and the reader; read both ways (tests/ledger/reading.py)."""
    return read_both_ways(data, filename, scope=scope, today=TODAY, **limits)


def refusal(data: bytes, filename="return.csv", **limits) -> str:
    with pytest.raises(FileRefused) as caught:
        read(data, filename, **limits)
    return caught.value.message


class Chunks(io.RawIOBase):
    """A non-seekable upload whose bytes are produced on demand (never all in memory)."""

    def __init__(self, parts):
        self._parts = iter(parts)
        self._pending = memoryview(b"")

    def readable(self):
        return True

    def readinto(self, buffer):
        while not self._pending:
            self._pending = memoryview(next(self._parts, b""))
            if not self._pending:
                return 0
        count = min(len(buffer), len(self._pending))
        buffer[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        return count


# --- good files -------------------------------------------------------------------------


def test_the_template_imports_cleanly():
    rows, reader = read(template_csv())
    assert reader.errors == []
    assert len(rows) == 1
    row = rows[0]
    assert row.line == 2
    assert row.key == (
        TEMPLATE_EXAMPLE["debtor_uscc"],
        TEMPLATE_EXAMPLE["creditor_uscc"],
        TEMPLATE_EXAMPLE["contract_number"],
    )
    assert (row.owed_fen, row.paid_fen, row.disputed_fen) == (
        TEMPLATE_EXAMPLE["amount_owed"],
        TEMPLATE_EXAMPLE["amount_paid"],
        TEMPLATE_EXAMPLE["disputed_amount"],
    )
    assert (row.contract_signed_on, row.due_on) == (
        TEMPLATE_EXAMPLE["contract_signed_on"],
        TEMPLATE_EXAMPLE["due_on"],
    )
    assert (row.debtor_type, row.subject) == ("agency", "services")


def test_the_template_imports_today():
    reader = read_ledger_file(
        io.BytesIO(template_csv()), "template.csv", scope=SCOPE, today=date.today()
    )
    assert sum(len(batch) for batch in reader) == 1
    assert reader.errors == []


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_utf8_with_or_without_bom_and_gb18030_read_alike(encoding):
    data = csv_bytes([good("HT-1"), good("HT-2", debtor_name="广州市𠀀局")], encoding=encoding)
    assert data.startswith(codecs.BOM_UTF8) == (encoding == "utf-8-sig")
    rows, reader = read(data)
    assert reader.errors == []
    assert [row.contract_number for row in rows] == ["HT-1", "HT-2"]
    assert rows[0].debtor_name == "示例市交通运输局"
    assert rows[1].debtor_name == "广州市𠀀局"  # a 4-byte GB18030 character
    assert rows[0].notes == "备注：无"
    assert rows[0].owed_fen == 100_050
    assert reader.format == "csv"


def test_headers_may_be_keys_or_labels_in_any_order_and_optional_ones_absent():
    header = [
        "Contract_Number",
        "欠款单位统一社会信用代码",
        "debtor_name",
        "债务人类型",  # the first template's label, still read
        "Region_Code",
    ]
    header += ["债权人（中小企业）统一社会信用代码", "creditor_name", "合同签订日期", "due_on"]
    header += ["欠款金额(元)"]
    row = ["HT-9", DEBTOR, "某局", "agency", "440100", CREDITOR, "某公司"]
    row += ["2024-01-01", "2024-02-01", "99.9"]
    rows, reader = read(csv_bytes([row], header=header))
    assert reader.errors == []
    assert len(rows) == 1
    assert rows[0].contract_number == "HT-9"
    assert (rows[0].owed_fen, rows[0].paid_fen, rows[0].disputed_fen) == (9_990, 0, 0)
    assert (rows[0].subject, rows[0].notes) == ("", "")


def test_spaces_inside_a_header_cell_are_ignored():
    header = list(TEMPLATE_HEADER)
    header[3] = " Region _ Code "
    rows, reader = read(csv_bytes([good()], header=header))
    assert reader.errors == [] and len(rows) == 1


def test_blank_lines_are_skipped_and_rows_keep_spreadsheet_numbers():
    data = csv_bytes([], encoding="utf-8") + b"\r\n"
    data += csv_bytes([good("HT-1")], header=None, encoding="utf-8") + b",,,\r\n , ,\r\n"
    data += csv_bytes([good("HT-2", amount_owed="bad")], header=None, encoding="utf-8")
    rows, reader = read(data)
    assert [row.line for row in rows] == [3]
    assert [(error.row, error.column) for error in reader.errors] == [(6, "amount_owed")]
    assert reader.rows_read == 2


def test_a_cell_spanning_lines_is_one_row():
    data = csv_bytes([good("HT-1", notes="第一行\n第二行"), good("HT-2", amount_owed="x")])
    rows, reader = read(data)
    assert rows[0].notes == "第一行\n第二行"
    assert [error.row for error in reader.errors] == [3]


def test_rows_arrive_in_batches_with_progress():
    data = csv_bytes([good(f"HT-{i}") for i in range(7)])
    reader = read_ledger_file(io.BytesIO(data), "r.csv", scope=SCOPE, today=TODAY, batch_size=3)
    sizes = []
    for batch in reader:
        sizes.append(len(batch))
        assert all(isinstance(row, LedgerRow) for row in batch)
    assert sizes == [3, 3, 1]
    assert reader.rows_read == 7
    assert reader.fraction_done == 1.0
    assert reader.bytes_read == len(data)


def test_progress_moves_through_a_larger_file():
    data = csv_bytes([good(f"HT-{i}") for i in range(20_000)])
    reader = read_ledger_file(
        io.BytesIO(data), "r.csv", scope=SCOPE, today=TODAY, batch_size=1000, chunk_rows=2000
    )
    seen = [reader.fraction_done for _ in reader]
    assert 0 < seen[0] < 0.2
    assert seen == sorted(seen)
    assert seen[-1] == 1.0


def test_a_non_seekable_stream_is_read_without_knowing_its_size():
    data = csv_bytes([good("HT-1"), good("HT-2")])
    upload = Chunks(data[i : i + 1000] for i in range(0, len(data), 1000))
    reader = read_ledger_file(upload, "r.csv", scope=SCOPE, today=TODAY)
    assert [row.contract_number for batch in reader for row in batch] == ["HT-1", "HT-2"]
    assert reader.fraction_done == 0.0  # unknown size: no fraction to report
    assert reader.rows_read == 2


# --- bad rows ----------------------------------------------------------------------------


def test_a_row_in_another_province_is_refused_unless_the_scope_covers_it():
    data = csv_bytes([good("HT-1"), good("HT-2", region_code="110108")])
    rows, reader = read(data)
    assert [row.contract_number for row in rows] == ["HT-1"]
    [error] = reader.errors
    assert (error.row, error.column, error.value) == (3, "region_code", "110108")
    assert "outside the regions" in error.reason
    rows, reader = read(data, scope=EVERYTHING)
    assert len(rows) == 2 and reader.errors == []


def test_a_repeated_key_is_refused_on_the_later_row():
    data = csv_bytes([good("HT-1"), good("HT-2"), good("HT-1", notes="again")])
    rows, reader = read(data)
    assert [row.contract_number for row in rows] == ["HT-1", "HT-2"]
    [error] = reader.errors
    assert (error.row, error.column) == (4, "contract_number")
    assert "row 2" in error.reason


def test_formula_cells_are_refused():
    data = csv_bytes([good("HT-1", debtor_name='=HYPERLINK("http://x")', amount_paid="@A1")])
    rows, reader = read(data)
    assert rows == []
    assert [error.column for error in reader.errors] == ["debtor_name", "amount_paid"]
    assert all("formulas are not accepted" in error.reason for error in reader.errors)


def test_a_value_under_no_header_is_an_error():
    header = [*TEMPLATE_HEADER, ""]
    rows, reader = read(csv_bytes([good("HT-1") + [""], good("HT-2") + ["stray"]], header=header))
    assert [row.contract_number for row in rows] == ["HT-1"]
    [error] = reader.errors
    assert (error.row, error.column, error.value) == (3, "O", "stray")
    assert "no header" in error.reason
    rows, reader = read(csv_bytes([good("HT-3") + ["", "beyond"]]))
    assert rows == [] and [error.column for error in reader.errors] == ["P"]


def test_errors_are_capped_but_counted():
    data = csv_bytes([good(f"HT-{i}", amount_owed="x") for i in range(5)])
    rows, reader = read(data, max_errors=2)
    assert rows == []
    assert len(reader.errors) == 2
    assert reader.error_count == 5
    assert [error.row for error in reader.take_errors()] == [2, 3]
    assert reader.errors == []


# --- refused files -------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n", b"\xef\xbb\xbf", b" , ,\n"])
def test_an_empty_file_is_refused(data):
    assert "empty" in refusal(data)


def test_a_header_without_rows_is_refused():
    assert "no data rows" in refusal(csv_bytes([]))
    assert "no data rows" in refusal(csv_bytes([["", ""], []]))


def test_missing_required_columns_are_named():
    header = [
        name for name in TEMPLATE_HEADER if "debtor_name" not in name and "due_on" not in name
    ]
    message = refusal(csv_bytes([], header=header))
    assert "lacks required columns" in message
    assert "欠款单位名称 / debtor_name" in message and "应付款日期 / due_on" in message
    assert "creditor_name" not in message


def test_unknown_columns_are_named():
    message = refusal(csv_bytes([], header=[*TEMPLATE_HEADER, "经办人", "phone"]))
    assert "unknown columns: 经办人, phone" in message


def test_duplicate_columns_are_named():
    message = refusal(csv_bytes([], header=[*TEMPLATE_HEADER, "备注"]))
    assert "more than once" in message and "notes" in message


def test_a_row_with_too_many_cells_is_refused():
    message = refusal(csv_bytes([good() + [""] * 5 + ["x"] * 37]))
    assert "Row 2 has 56 cells" in message and "at most 50" in message
    # trailing empty cells are not cells
    rows, _ = read(csv_bytes([good() + [""] * 100]))
    assert len(rows) == 1


def test_a_header_with_too_many_cells_is_refused():
    assert "Row 1 has 51 cells" in refusal(csv_bytes([], header=[f"c{i}" for i in range(51)]))


def test_a_million_column_row_is_refused_fast_and_small():
    data = csv_bytes([]) + b"a," * 1_000_000 + b"a\r\n"
    tracemalloc.start()
    started = time.perf_counter()
    try:
        message = refusal(data)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "Row 2 is too long" in message
    assert peak < 5 * 2**20  # the row was never split into a million strings
    assert elapsed < 5


def test_a_ten_megabyte_cell_is_refused_without_reading_it_all():
    upload = Chunks([csv_bytes([]), b'"' + b"x" * 1_000_000] + [b"x" * 1_000_000] * 9 + [b'"\r\n'])
    tracemalloc.start()
    try:
        with pytest.raises(FileRefused) as caught:
            next(iter(read_ledger_file(upload, "r.csv", scope=SCOPE, today=TODAY)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "Row 2 is too long" in caught.value.message
    assert peak < 8 * 2**20


def test_a_cell_over_the_cell_limit_is_refused_naming_it():
    message = refusal(csv_bytes([good(notes="注" * 2001)]))
    assert "Row 2, column N" in message and "at most 2000 characters" in message
    rows, reader = read(csv_bytes([good(notes="注" * 2000)]))  # a row error, not a refusal
    assert rows == [] and reader.errors[0].column == "notes"
    long_name = csv_bytes([good(debtor_name="名" * 41)])
    assert "Row 2, column B: a cell may have at most 40" in refusal(long_name, max_cell_chars=40)


def test_more_rows_than_allowed_are_refused():
    data = csv_bytes([good(f"HT-{i}") for i in range(3)])
    assert "more than 2 data rows" in refusal(data, max_rows=2)
    assert len(read(data, max_rows=3)[0]) == 3


def test_nul_bytes_are_refused():
    message = refusal(csv_bytes([good()]).replace(b"HT-1", b"HT\x00-1"))
    assert "binary data" in message and ".xlsx" in message


def test_binary_late_in_the_file_is_refused_with_its_row():
    rows = [good(f"HT-{i}") for i in range(3000)]  # well past the first 256 kB
    data = csv_bytes(rows) + b"\x00\x01\x02\x03,\r\n"
    assert len(data) > 300_000
    assert "Row 3002 contains binary data" in refusal(data)


def test_random_bytes_are_refused():
    garbage = random.Random(3).randbytes(100_000)
    message = refusal(garbage)
    assert "binary data" in message or "neither UTF-8 nor GB18030" in message


def test_utf16_is_refused_with_advice():
    data = csv_bytes([good()], encoding="utf-16")
    assert "UTF-16" in refusal(data)


def test_bytes_invalid_in_the_detected_encoding_late_in_the_file_are_refused():
    ascii_rows = [
        good(f"HT-{i}", debtor_name="Bureau", creditor_name="Co", notes="") for i in range(3000)
    ]
    data = csv_bytes(ascii_rows, header=list(KEYS)) + "中文".encode("gbk") + b",x\r\n"
    assert "Row 3002 is not valid UTF-8 text" in refusal(data)
    gb_rows = [good(f"HT-{i}") for i in range(3000)]
    gb_then_utf8 = csv_bytes(gb_rows, encoding="gb18030") + "中文".encode() + b"\xff,x\r\n"
    assert "Row 3002 is not valid GB18030 text" in refusal(gb_then_utf8)


def test_legacy_xls_is_refused_naming_the_accepted_formats():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000)
    message = refusal(ole, "return.xls")
    assert ".xls" in message and ".xlsx" in message and "CSV" in message
    assert ".xlsx" in refusal(ole, "return.xlsx")  # the name does not matter
    assert ".xlsx" in refusal(b"<html><table></table></html>", "return.xls")


@pytest.mark.parametrize("filename", ["return.json", "return.xlsx", "return.pdf"])
def test_text_under_another_format_name_is_refused(filename):
    message = refusal(csv_bytes([good()]), filename)
    assert "not a file we can read" in message
    assert "Accepted formats" in message


def test_a_pdf_is_refused():
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nstream\n\x00\x01\x02"
    assert "Accepted formats" in refusal(pdf, "return.pdf")


# --- memory -----------------------------------------------------------------------------------


def _generated_csv(rows: int):
    yield csv_bytes([])
    block = []
    for i in range(rows):
        block.append(
            f"{DEBTOR},债务单位,机关,440100,{CREDITOR},中小企业有限公司,HT-{i:07d},"
            f"2023-05-{1 + i % 28:02d},货物,2024-06-30,{1000 + i}.{i % 100:02d},0,0,\r\n"
        )
        if len(block) == 1000:
            yield "".join(block).encode()
            block = []
    yield "".join(block).encode()


def test_memory_stays_flat_for_a_large_file():
    rows = 200_000
    tracemalloc.start()
    try:
        reader = read_ledger_file(Chunks(_generated_csv(rows)), "big.csv", scope=SCOPE, today=TODAY)
        count = 0
        for batch in reader:
            count += len(batch)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == rows
    assert reader.errors == []
    assert peak < 30 * 2**20, f"peak {peak / 2**20:.1f} MB"

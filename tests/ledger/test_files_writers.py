"""Ledger file layer: exports, the import template and error reports.

Plain tests, no database. XLSX output is read back with python-calamine,
as a user's spreadsheet program would see it.
"""

import codecs
import csv
import io
import zipfile
from datetime import date, datetime

import pytest
from python_calamine import CalamineWorkbook

from qingqian.core.spreadsheets import escape_cell, stream_csv, write_xlsx
from qingqian.core.uscc import check_uscc
from qingqian.ledger.columns import TEMPLATE_HEADER
from qingqian.ledger.imports.rows import RowError
from qingqian.ledger.writers import (
    ERROR_REPORT_HEADER,
    TEMPLATE_EXAMPLE,
    error_report_csv,
    template_csv,
    template_xlsx,
)


def parse_csv(chunks) -> list[list[str]]:
    data = b"".join(chunks)
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def sheet_rows(data: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


# --- escaping ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["=1+1", "+41 22", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", '=HYPERLINK("x")']
)
def test_formula_starts_get_an_apostrophe(value):
    assert escape_cell(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    ["abc", "", "1-2", "a=b", " =1", "'=1", "示例", "＝1", 5, -5, 1.5, None, date(2024, 1, 1)],
)
def test_other_values_are_left_alone(value):
    assert escape_cell(value) == value


# --- CSV --------------------------------------------------------------------------------


def test_csv_has_a_bom_and_escaped_text_typed_values():
    rows = [
        ["=cmd|' /C calc'!A0", 1_234_56, date(2024, 3, 1), None, "示例"],
        ["@x", -5, datetime(2024, 3, 1, 8, 30), 0, "-1"],
    ]
    chunks = list(
        stream_csv(
            ["名称", "金额", "日期", "其它", "备注"],
            rows,
            ["text", "money", "date", "text", "text"],
        )
    )
    assert chunks[0].startswith(codecs.BOM_UTF8)
    assert parse_csv(chunks) == [
        ["名称", "金额", "日期", "其它", "备注"],
        ["'=cmd|' /C calc'!A0", "1234.56", "2024-03-01", "", "示例"],
        ["'@x", "-0.05", "2024-03-01 08:30:00", "0", "'-1"],
    ]


def test_csv_without_kinds_writes_numbers_as_they_are():
    assert parse_csv(stream_csv(["n"], [[12345], [1.5]])) == [["n"], ["12345"], ["1.5"]]


def test_csv_streams_in_chunks():
    rows = [[f"row {i}", i] for i in range(2500)]
    chunks = list(stream_csv(["text", "number"], rows))
    assert len(chunks) >= 3  # header, then one chunk per 1000 rows
    parsed = parse_csv(chunks)
    assert parsed[0] == ["text", "number"]
    assert parsed[1:] == [[f"row {i}", str(i)] for i in range(2500)]


# --- XLSX -------------------------------------------------------------------------------


def test_xlsx_keeps_formula_text_as_text_and_types_money_and_dates():
    buffer = io.BytesIO()
    write_xlsx(
        buffer,
        ["名称", "欠款金额（元）", "日期", "件数"],
        [
            ["=1+1", 1_234_56, date(2024, 3, 1), 3],
            ["+SUM(A1:A2)", 5, datetime(2024, 3, 2, 9, 0), None],
            ["普通文本", 100_000_000_00, None, 2.5],
        ],
        ["text", "money", "date", "text"],
    )
    data = buffer.getvalue()
    assert sheet_rows(data) == [
        ["名称", "欠款金额（元）", "日期", "件数"],
        ["'=1+1", 1234.56, date(2024, 3, 1), 3.0],
        ["'+SUM(A1:A2)", 0.05, datetime(2024, 3, 2, 9, 0), ""],
        ["普通文本", 100_000_000.0, "", 2.5],
    ]
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml  # no cell is a formula
    styles = zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml")
    assert b'formatCode="#,##0.00"' in styles


def test_xlsx_streams_many_rows():
    buffer = io.BytesIO()
    write_xlsx(buffer, ["n", "amount"], ([i, i * 100] for i in range(20_000)), ["text", "money"])
    rows = sheet_rows(buffer.getvalue())
    assert len(rows) == 20_001
    assert rows[-1] == [19_999.0, 19_999.0]


# --- the template and error reports ---------------------------------------------------


def test_the_template_example_uses_valid_codes():
    assert check_uscc(TEMPLATE_EXAMPLE["debtor_uscc"]).valid
    assert check_uscc(TEMPLATE_EXAMPLE["creditor_uscc"]).valid


def test_the_csv_template_has_the_bilingual_header_and_the_example():
    data = template_csv()
    assert data.startswith(codecs.BOM_UTF8)
    header, example = parse_csv([data])
    assert header == TEMPLATE_HEADER
    assert header[1] == "欠款单位名称 / debtor_name"
    assert example[0] == TEMPLATE_EXAMPLE["debtor_uscc"]
    assert example[7] == "2024-01-15"
    assert example[10:13] == ["125000.00", "25000.00", "0.00"]


def test_the_xlsx_template_has_the_bilingual_header_and_typed_example():
    buffer = io.BytesIO()
    template_xlsx(buffer)
    header, example = sheet_rows(buffer.getvalue())
    assert header == TEMPLATE_HEADER
    assert example[0] == TEMPLATE_EXAMPLE["debtor_uscc"]
    assert example[3] == "440100"  # text, not the number 440100
    assert example[7] == date(2024, 1, 15)
    assert example[10:13] == [125_000.0, 25_000.0, 0.0]


def test_the_error_report_lists_every_error_escaped():
    errors = [
        RowError(
            2, "amount_owed", "=1+1", "欠款金额（元） / amount_owed: formulas are not accepted."
        ),
        RowError(7, "contract_number", "HT-1", "row 2 already has this key"),
    ]
    rows = parse_csv(error_report_csv(errors))
    assert (
        rows[0]
        == ERROR_REPORT_HEADER
        == ["行号 / row", "列 / column", "值 / value", "原因 / reason"]
    )
    assert rows[1] == ["2", "amount_owed", "'=1+1", errors[0].reason]
    assert rows[2] == ["7", "contract_number", "HT-1", "row 2 already has this key"]

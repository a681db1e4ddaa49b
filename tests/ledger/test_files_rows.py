"""Ledger file layer: the column schema and the checking of one row.

Plain tests, no database. Messages are checked in English (the source
language); each must name its column's key.
"""

import random
from datetime import date, datetime

import pytest
from django.utils import translation

from qingqian.core.scoping import EVERYTHING, Scope
from qingqian.core.uscc import check_uscc
from qingqian.ledger.columns import (
    COLUMNS,
    DEBTOR_TYPES,
    KEYS,
    SUBJECTS,
    TEMPLATE_HEADER,
    column_key_for_header,
)
from qingqian.ledger.imports.columnar import ColumnarValidator
from qingqian.ledger.imports.rows import LedgerRow, RowError
from qingqian.ledger.imports.validate import FirstRows, RowValidator, validate_row
from qingqian.parties.models import Enterprise
from qingqian.parties.vocabulary import Subject

SCOPE = Scope(region_prefix="44")  # Guangdong
TODAY = date(2025, 6, 30)
DEBTOR = "114401000070000031"  # valid: check_uscc is asserted below
CREDITOR = "91440101MA59PXJ1XG"
OTHER_CREDITOR = "91440106MA9ABCDE2R"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def good_cells(**overrides) -> dict:
    cells = {
        "debtor_uscc": DEBTOR,
        "debtor_name": "示例市交通运输局",
        "debtor_type": "机关",
        "region_code": "440100",
        "creditor_uscc": CREDITOR,
        "creditor_name": "示例科技有限公司",
        "contract_number": "HT-2024-001",
        "contract_signed_on": "2024-01-15",
        "subject": "服务",
        "due_on": "2024-03-15",
        "amount_owed": "125,000.00",
        "amount_paid": "25000",
        "disputed_amount": "0",
        "notes": "",
    }
    cells.update(overrides)
    return cells


def check(cells: dict, line: int = 2, scope: Scope = SCOPE):
    """`validate_row`, asserted to agree with the columnar validation."""
    result = validate_row(line, cells, scope=scope, today=TODAY)
    columnar = ColumnarValidator(scope=scope, today=TODAY)
    assert list(columnar.validate_chunk([line], [tuple(map(cells.get, KEYS))])) == [result]
    return result


def validate_in_order(rows: list[tuple[int, dict]]) -> list:
    """The rows of one file checked in order by RowValidator, asserted to agree
    with the columnar validation, in one chunk and in chunks of one row."""
    reference = RowValidator(scope=SCOPE, today=TODAY)
    results = [reference.validate(line, cells) for line, cells in rows]
    lines = [line for line, _ in rows]
    records = [tuple(map(cells.get, KEYS)) for _, cells in rows]
    together = ColumnarValidator(scope=SCOPE, today=TODAY)
    assert list(together.validate_chunk(lines, records)) == results
    alone = ColumnarValidator(scope=SCOPE, today=TODAY)
    one_by_one = [
        result
        for line, record in zip(lines, records, strict=True)
        for result in alone.validate_chunk([line], [record])
    ]
    assert one_by_one == results
    return results


def only_error(cells: dict) -> RowError:
    result = check(cells)
    assert isinstance(result, list), f"expected an error, got {result!r}"
    assert len(result) == 1, result
    return result[0]


def test_the_fixed_codes_are_valid():
    for code in (DEBTOR, CREDITOR, OTHER_CREDITOR):
        assert check_uscc(code).valid, code


# --- the schema ---------------------------------------------------------------


def test_columns_are_published_in_order_with_bilingual_headers():
    assert KEYS == (
        "debtor_uscc",
        "debtor_name",
        "debtor_type",
        "region_code",
        "creditor_uscc",
        "creditor_name",
        "contract_number",
        "contract_signed_on",
        "subject",
        "due_on",
        "amount_owed",
        "amount_paid",
        "disputed_amount",
        "notes",
    )
    assert TEMPLATE_HEADER[0] == "欠款单位统一社会信用代码 / debtor_uscc"
    assert TEMPLATE_HEADER[10] == "欠款金额（元） / amount_owed"
    optional = {column.key for column in COLUMNS if not column.required}
    assert optional == {"subject", "amount_paid", "disputed_amount", "notes"}


@pytest.mark.parametrize(
    ("cell", "key"),
    [
        ("debtor_uscc", "debtor_uscc"),
        ("  Debtor_USCC ", "debtor_uscc"),
        ("欠款单位名称", "debtor_name"),
        ("欠款单位 名称", "debtor_name"),
        ("欠款单位名称 / debtor_name", "debtor_name"),
        ("欠款单位名称/DEBTOR_NAME", "debtor_name"),
        # The first template said 债务人: files filled in with it still import.
        ("债务人名称", "debtor_name"),
        ("债务人统一社会信用代码 / debtor_uscc", "debtor_uscc"),
        ("债务人所在地行政区划代码", "region_code"),
        ("欠款金额(元)", "amount_owed"),  # ASCII parentheses for full-width ones
        ("欠款金额（元） / amount_owed", "amount_owed"),
        ("债权人（中小企业）统一社会信用代码", "creditor_uscc"),
        ("ＮＯＴＥＳ", "notes"),  # full-width letters
    ],
)
def test_header_cells_match_key_label_or_both(cell, key):
    assert column_key_for_header(cell) == key


@pytest.mark.parametrize(
    "cell",
    ["debtor", "名称", "amount", "debtor_name / 欠款单位名称x", "债务人名称 / debtor_uscc", ""],
)
def test_unknown_header_cells_match_nothing(cell):
    assert column_key_for_header(cell) is None


def test_choices_follow_the_models():
    debtor_types = set(DEBTOR_TYPES.values())
    assert debtor_types == {
        Enterprise.Type.AGENCY,
        Enterprise.Type.INSTITUTION,
        Enterprise.Type.LARGE,
        Enterprise.Type.STATE_OWNED,
    }
    assert set(SUBJECTS.values()) == set(Subject.values)


# --- a good row -----------------------------------------------------------------


def test_a_good_row_becomes_typed_values():
    row = check(good_cells())
    assert row == LedgerRow(
        line=2,
        debtor_uscc=DEBTOR,
        debtor_name="示例市交通运输局",
        debtor_type="agency",
        region_code="440100",
        creditor_uscc=CREDITOR,
        creditor_name="示例科技有限公司",
        contract_number="HT-2024-001",
        contract_signed_on=date(2024, 1, 15),
        subject="services",
        due_on=date(2024, 3, 15),
        owed_fen=12_500_000,
        paid_fen=2_500_000,
        disputed_fen=0,
        notes="",
    )
    assert row.key == (DEBTOR, CREDITOR, "HT-2024-001")


def test_a_row_is_frozen():
    row = check(good_cells())
    with pytest.raises(AttributeError):
        row.owed_fen = 1


def test_cells_are_normalised():
    row = check(
        good_cells(
            debtor_uscc=" 1144 0100-0070 0000 31 ",
            creditor_uscc=CREDITOR.lower(),
            debtor_name="  示例市交通运输局 ",
            debtor_type=" SOE ",
            subject="Works",
            contract_signed_on="2024/1/5",
            due_on="2024年3月15日",
            amount_owed="¥1,234.5",
            amount_paid="",
            disputed_amount="",
        )
    )
    assert isinstance(row, LedgerRow), row
    assert (row.debtor_uscc, row.creditor_uscc) == (DEBTOR, CREDITOR)
    assert row.debtor_name == "示例市交通运输局"
    assert (row.debtor_type, row.subject) == ("soe", "works")
    assert (row.contract_signed_on, row.due_on) == (date(2024, 1, 5), date(2024, 3, 15))
    assert (row.owed_fen, row.paid_fen, row.disputed_fen) == (123_450, 0, 0)


def test_optional_columns_may_be_absent():
    cells = good_cells()
    for key in ("subject", "amount_paid", "disputed_amount", "notes"):
        del cells[key]
    row = check(cells)
    assert isinstance(row, LedgerRow), row
    assert (row.subject, row.paid_fen, row.disputed_fen, row.notes) == ("", 0, 0, "")


def test_typed_spreadsheet_cells_are_understood():
    row = check(
        good_cells(
            region_code=440100.0,
            contract_number=2023001.0,
            contract_signed_on=date(2024, 1, 15),
            due_on=datetime(2024, 3, 15, 0, 0),
            amount_owed=1234.56,
            amount_paid=1000.0,
            disputed_amount=0.0,
        )
    )
    assert isinstance(row, LedgerRow), row
    assert (row.region_code, row.contract_number) == ("440100", "2023001")
    assert (row.contract_signed_on, row.due_on) == (date(2024, 1, 15), date(2024, 3, 15))
    assert (row.owed_fen, row.paid_fen, row.disputed_fen) == (123_456, 100_000, 0)


def test_a_float_that_is_not_a_fen_amount_is_refused_not_rounded():
    error = only_error(good_cells(amount_owed=0.1 + 0.2))
    assert error.column == "amount_owed"
    assert "at most 2 decimals" in error.reason


# --- bad values, one column at a time -------------------------------------------------

BAD_VALUES = [
    ("debtor_uscc", "", "is required"),
    ("debtor_uscc", "12345", "exactly 18 characters"),
    ("debtor_uscc", DEBTOR[:-1] + "2", "check digit"),
    ("debtor_uscc", "91440101MA59PXJ1XO", "I, O, Z, S and V"),
    ("debtor_name", "", "is required"),
    ("debtor_name", "名" * 201, "at most 200 characters"),
    ("debtor_type", "", "is required"),
    ("debtor_type", "sme", "must be one of"),
    ("debtor_type", "中小企业", "must be one of"),
    ("region_code", "", "is required"),
    ("region_code", "4401", "6-digit region code"),
    ("region_code", "４４０１００", "6-digit region code"),
    ("region_code", "990000", "not a known region code"),
    ("region_code", "449900", "not a known region code"),  # no such prefecture
    ("region_code", "110000", "outside the regions"),
    ("creditor_uscc", "", "is required"),
    ("creditor_uscc", "91440101MA59PXJ1XH", "check digit"),
    ("creditor_name", "", "is required"),
    ("creditor_name", "名" * 201, "at most 200 characters"),
    ("contract_number", " ", "is required"),
    ("contract_number", "H" * 101, "at most 100 characters"),
    ("contract_signed_on", "", "is required"),
    ("contract_signed_on", "2024-02-30", "is not a date"),
    ("contract_signed_on", "15/01/2024", "is not a date"),
    ("contract_signed_on", "2024-01-15 10:00", "is not a date"),
    ("contract_signed_on", "1989-12-31", "before 1990"),
    ("contract_signed_on", "2025-07-01", "after today"),
    ("subject", "software", "must be one of"),
    ("due_on", "", "is required"),
    ("due_on", "soon", "is not a date"),
    ("due_on", "2025-07-01", "after today"),
    ("amount_owed", "", "is required"),
    ("amount_owed", "0", "greater than zero"),
    ("amount_owed", "0.00", "greater than zero"),
    ("amount_owed", "-5", "may not be negative"),
    ("amount_owed", "1.005", "at most 2 decimals"),
    ("amount_owed", "12,34", "groups of 3 digits"),
    ("amount_owed", "1e5", "without an exponent"),
    ("amount_owed", "007", "leading zeros"),
    ("amount_owed", "lots", "not an amount in yuan"),
    ("amount_owed", "+100", "not an amount in yuan"),
    ("amount_owed", "1" * 16, "below 10^15 yuan"),
    ("amount_paid", "-0.01", "may not be negative"),
    ("amount_paid", "some", "not an amount in yuan"),
    ("disputed_amount", "-1", "may not be negative"),
    ("notes", "注" * 501, "at most 500 characters"),
]


@pytest.mark.parametrize(("column", "value", "fragment"), BAD_VALUES)
def test_a_bad_value_is_reported_on_its_column(column, value, fragment):
    error = only_error(good_cells(**{column: value}))
    assert error.row == 2
    assert error.column == column
    assert column in error.reason  # the message names the column
    assert fragment in error.reason
    assert error.value == value[:199] + ("…" if len(value) > 200 else value[199:])


def test_a_missing_required_cell_is_reported():
    cells = good_cells()
    del cells["creditor_name"]
    error = only_error(cells)
    assert (error.column, error.value) == ("creditor_name", "")
    assert "creditor_name is required" in error.reason


def test_every_bad_field_of_a_row_is_reported():
    result = check(
        good_cells(
            debtor_uscc="nonsense",
            debtor_type="sme",
            region_code="110000",
            amount_owed="=1+1",
            contract_signed_on="tomorrow",
        )
    )
    assert isinstance(result, list)
    assert [error.column for error in result] == [
        "debtor_uscc",
        "debtor_type",
        "region_code",
        "contract_signed_on",
        "amount_owed",
    ]
    assert all(error.row == 2 for error in result)


def test_scope_everything_accepts_any_known_region():
    row = check(good_cells(region_code="110108"), scope=EVERYTHING)
    assert isinstance(row, LedgerRow)
    assert row.region_code == "110108"


def test_a_county_scope_refuses_its_neighbours():
    scope = Scope(region_prefix="440103")
    assert isinstance(check(good_cells(region_code="440103"), scope=scope), LedgerRow)
    error = check(good_cells(region_code="440104"), scope=scope)[0]
    assert (error.column, error.value) == ("region_code", "440104")
    assert "outside the regions" in error.reason


# --- rules between fields -------------------------------------------------------------


def test_the_creditor_must_not_be_the_debtor():
    error = only_error(good_cells(creditor_uscc=DEBTOR))
    assert error.column == "creditor_uscc"
    assert "must differ from the debtor" in error.reason


def test_payment_cannot_fall_due_before_signing():
    error = only_error(good_cells(contract_signed_on="2024-03-16", due_on="2024-03-15"))
    assert error.column == "due_on"
    assert "before the contract signing date" in error.reason
    assert isinstance(check(good_cells(due_on="2024-01-15")), LedgerRow)  # same day is fine


def test_paid_cannot_exceed_owed():
    error = only_error(good_cells(amount_owed="100", amount_paid="100.01"))
    assert (error.column, error.value) == ("amount_paid", "100.01")
    assert "exceeds the amount owed" in error.reason
    row = check(good_cells(amount_owed="100", amount_paid="100"))
    assert (row.owed_fen, row.paid_fen) == (10_000, 10_000)


def test_disputed_cannot_exceed_what_is_outstanding():
    error = only_error(good_cells(amount_owed="100", amount_paid="60", disputed_amount="40.01"))
    assert error.column == "disputed_amount"
    assert "owed minus paid" in error.reason
    row = check(good_cells(amount_owed="100", amount_paid="60", disputed_amount="40"))
    assert row.disputed_fen == 4_000


# --- formulas -------------------------------------------------------------------------

FORMULAS = [
    "=1+1",
    "+SUM(A1:A3)",
    "-cmd|' /C calc'!A0",
    "@SUM(1)",
    "\tabc",
    "\rabc",
    " =HYPERLINK(1)",
]
TEXT_COLUMNS = [
    "debtor_uscc",
    "debtor_name",
    "debtor_type",
    "region_code",
    "creditor_uscc",
    "creditor_name",
    "contract_number",
    "contract_signed_on",
    "subject",
    "due_on",
    "notes",
]


@pytest.mark.parametrize("column", TEXT_COLUMNS)
@pytest.mark.parametrize("value", FORMULAS)
def test_formulas_are_refused_in_text_columns(column, value):
    error = only_error(good_cells(**{column: value}))
    assert error.column == column
    assert "formulas are not accepted" in error.reason


def test_a_tab_before_a_valid_code_is_still_refused():
    error = only_error(good_cells(debtor_uscc="\t" + DEBTOR))
    assert error.column == "debtor_uscc"
    assert "formulas are not accepted" in error.reason


@pytest.mark.parametrize("column", ["amount_owed", "amount_paid", "disputed_amount"])
@pytest.mark.parametrize("value", ["=1+1", "@A1", "\t5", "-A1*2", "+A1"])
def test_formulas_are_refused_in_amount_columns(column, value):
    error = only_error(good_cells(**{column: value}))
    assert error.column == column
    assert "formulas are not accepted" in error.reason


def test_a_signed_number_in_an_amount_column_is_judged_as_an_amount():
    error = only_error(good_cells(amount_paid="-1,000.00"))
    assert "may not be negative" in error.reason
    row = check(good_cells(amount_paid="-0"))  # parse_yuan reads -0 as 0
    assert isinstance(row, LedgerRow)
    assert row.paid_fen == 0


# --- duplicates -----------------------------------------------------------------------


def test_a_repeated_key_is_refused_on_the_later_row_naming_the_first():
    first, other_contract, other_creditor, again = validate_in_order(
        [
            (2, good_cells()),
            (3, good_cells(contract_number="HT-2024-002")),
            (4, good_cells(creditor_uscc=OTHER_CREDITOR)),
            (7, good_cells(creditor_uscc=CREDITOR.lower(), notes="again")),
        ]
    )
    assert all(isinstance(row, LedgerRow) for row in (first, other_contract, other_creditor))
    assert isinstance(again, list) and len(again) == 1
    assert (again[0].row, again[0].column) == (7, "contract_number")
    assert "row 2 already has this debtor, creditor and contract number" in again[0].reason


def test_a_key_is_remembered_even_when_another_cell_of_its_row_is_bad():
    bad, fixed = validate_in_order([(2, good_cells(amount_owed="x")), (3, good_cells())])
    assert [error.column for error in bad] == ["amount_owed"]
    assert [error.column for error in fixed] == ["contract_number"]
    assert "row 2" in fixed[0].reason


def test_validate_row_alone_knows_no_other_rows():
    assert isinstance(check(good_cells()), LedgerRow)
    assert isinstance(check(good_cells()), LedgerRow)


def test_first_rows_finds_every_repeat_across_growth():
    first_rows = FirstRows(capacity=8)
    keys = [("d", f"c{i % 997}", f"n{i}") for i in range(5000)]
    assert all(first_rows.first_row(key, line) is None for line, key in enumerate(keys, 2))
    for line, key in enumerate(keys, 2):
        assert first_rows.first_row(key, 10_000 + line) == line
    assert first_rows.first_row(("d", "c1", "new"), 20_000) is None


# --- the quick path agrees with the explaining path ----------------------------------------

ODD_CELLS = [
    None,
    "",
    " ",
    0.0,
    1.0,
    False,
    "0",
    "00",
    "1.",
    "１２",
    " 12 ",
    "12.345",
    "=1",
    "\t1",
    "-1",
    "2024-1-5",
    "2024/01/05",
    " 2024-01-05",
    date(2024, 1, 5),
    datetime(2024, 1, 5, 12, 0),
    "440100",
    "440100 ",
    "机关",
    "Agency",
    "货物",
    DEBTOR,
    DEBTOR.lower(),
    " " + CREDITOR,
]


def test_the_quick_path_accepts_exactly_what_the_explaining_path_accepts():
    rng = random.Random(11)
    quick = RowValidator(scope=SCOPE, today=TODAY)
    explained = RowValidator(scope=SCOPE, today=TODAY)
    base = list(good_cells(amount_owed="125000.00").values())
    odd = ODD_CELLS + [value for _, value, _ in BAD_VALUES]
    records = []
    for line in range(2, 6000):
        values = list(base)
        values[6] = f"HT-{rng.randrange(3000)}"  # some keys repeat
        for _ in range(rng.choice([0, 0, 1, 2])):
            values[rng.randrange(len(values))] = rng.choice(odd)
        records.append(values)
        assert quick.validate_values(line, values) == explained._explained(line, values), values
    # and the quick path is really taken for everyday rows
    assert quick._quick_fields(9999, base) is not None
    # the columnar validation agrees with both, across chunks
    reference = RowValidator(scope=SCOPE, today=TODAY)
    columnar = ColumnarValidator(scope=SCOPE, today=TODAY)
    for start in range(0, len(records), 1000):
        lines = list(range(2 + start, 2 + start + len(records[start : start + 1000])))
        chunk = records[start : start + 1000]
        expected = reference.validate_chunk(lines, chunk)
        assert list(columnar.validate_chunk(lines, chunk)) == expected

"""Ledger file layer: the columnar validation agrees with RowValidator.

`ColumnarValidator` must give, row for row, what the reference `RowValidator`
gives when it checks the same rows one by one in file order: the same
`LedgerRow`, or the same errors in the same order. The existing cases are
compared in test_files_rows.py (and, through the reader, in test_files.py
and test_files_xlsx.py); here random rows mixing good and bad cells are.
Plain tests, no database.
"""

import os
import subprocess
import sys
from datetime import date, datetime

from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qingqian.core.scoping import EVERYTHING, Scope
from qingqian.ledger.columns import KEYS
from qingqian.ledger.imports.columnar import ColumnarValidator
from qingqian.ledger.imports.rows import LedgerRow
from qingqian.ledger.imports.validate import RowValidator

TODAY = date(2025, 6, 30)
DEBTOR = "114401000070000031"
CREDITOR = "91440101MA59PXJ1XG"
OTHER_CREDITOR = "91440106MA9ABCDE2R"
NATIONAL = "91100000100003962T"  # registered at national level (region 100000)

CODES = [
    DEBTOR,
    CREDITOR,
    OTHER_CREDITOR,
    NATIONAL,
    CREDITOR.lower(),
    " 1144 0100-0070 0000 31 ",
    DEBTOR[:-1] + "2",  # check digit
    "91440101MA59PXJ1XO",  # a letter never used
    "91440101MA59PXJ2XG",  # the organisation code's check digit
    "91990101MA59PXJ1XG",  # no such province
    "\t" + DEBTOR,
    "=" + DEBTOR,
    " " + CREDITOR,
    "12345",
    "",
    None,
    114401000070000031.0,
]
NAMES = ["示例市交通运输局", " 示例科技有限公司 ", "", " ", "=1+1", "\tabc", "名" * 200, "名" * 201]
DEBTOR_TYPES = [
    "机关",
    "事业单位",
    "大型企业",
    "国有企业",
    "agency",
    "soe",
    " SOE ",
    "sme",
    "",
    None,
]
SUBJECTS = ["货物", "工程", "服务", "goods", "Works", "software", "", " ", None]
REGIONS = ["440100", "440103", "110108", "440100 ", "\t440100", "4401", "990000", "449900", ""]
REGIONS += [440100.0, "４４０１００", None]
CONTRACTS = ["HT-1", "HT-2", " HT-1 ", "HT-3", "", " ", "H" * 100, "H" * 101, "=1", 2023001.0]
DATES = [
    "2024-01-15",
    "2024/1/15",
    "2024年1月15日",
    " 2024-03-15 ",
    "2024-3-15",
    "2024-02-29",
    "2023-02-29",
    "2024-02-30",
    "2024-1/15",
    "2024-13-01",
    "1989-12-31",
    "1990-01-01",
    "2025-06-30",
    "2025-07-01",
    "0000-01-01",
    "15/01/2024",
    "2024-01-15 10:00",
    "\t2024-01-15",
    "-2024-01-15",
    "",
    date(2024, 1, 15),
    datetime(2024, 3, 15, 9, 30),
    date(1989, 1, 1),
    45000.0,
]
AMOUNTS = [
    "100",
    "100.5",
    "100.50",
    "100.505",
    "25",
    "0",
    "0.00",
    "-0",
    "-5",
    "+5",
    "1e5",
    "1E5",
    "1,000",
    "1,000.25",
    "12,34",
    "007",
    "0.5",
    ".5",
    "5.",
    "¥100",
    " 100",
    "100 ",
    "１００",
    "1" * 15,
    "1" * 16,
    "=1+1",
    "-A1*2",
    "nan",
    "",
    None,
    1234.56,
    0.1 + 0.2,
    100.0,
    100,
    True,
]
NOTES = ["", " ", "\t", "备注：无", "=1", "注" * 500, "注" * 501, None]

CELLS = {
    "debtor_uscc": CODES,
    "debtor_name": NAMES,
    "debtor_type": DEBTOR_TYPES,
    "region_code": REGIONS,
    "creditor_uscc": CODES,
    "creditor_name": NAMES,
    "contract_number": CONTRACTS,
    "contract_signed_on": DATES,
    "subject": SUBJECTS,
    "due_on": DATES,
    "amount_owed": AMOUNTS,
    "amount_paid": AMOUNTS,
    "disputed_amount": AMOUNTS,
    "notes": NOTES,
}
GOOD = {
    "debtor_uscc": DEBTOR,
    "debtor_name": "示例市交通运输局",
    "debtor_type": "机关",
    "region_code": "440100",
    "creditor_uscc": CREDITOR,
    "creditor_name": "示例科技有限公司",
    "contract_number": "HT-1",
    "contract_signed_on": "2024-01-15",
    "subject": "服务",
    "due_on": "2024-03-15",
    "amount_owed": "100",
    "amount_paid": "25",
    "disputed_amount": "0",
    "notes": "",
}


def cell(key: str):
    """Mostly the everyday value, else one from the column's odd ones (or any
    other column's, or any text at all)."""
    return st.one_of(
        st.just(GOOD[key]),
        st.just(GOOD[key]),
        st.sampled_from(CELLS[key]),
        st.sampled_from([value for values in CELLS.values() for value in values]),
        st.text(max_size=20),
    )


rows = st.lists(st.tuples(*(cell(key) for key in KEYS)), min_size=1, max_size=40)


def agree(records: list[tuple], chunk_rows: int, scope: Scope) -> list:
    lines = list(range(2, 2 + len(records)))
    reference = RowValidator(scope=scope, today=TODAY)
    expected = [
        reference.validate_values(line, record) for line, record in zip(lines, records, strict=True)
    ]
    columnar = ColumnarValidator(scope=scope, today=TODAY)
    got = []
    for start in range(0, len(records), chunk_rows):
        end = start + chunk_rows
        got += columnar.validate_chunk(lines[start:end], records[start:end])
    assert got == expected
    return got


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    records=rows,
    chunk_rows=st.integers(1, 40),
    scope=st.sampled_from([Scope(region_prefix="44"), EVERYTHING]),
    language=st.sampled_from(["en", "zh-hans"]),
)
def test_random_rows_are_judged_alike_row_for_row(records, chunk_rows, scope, language):
    with translation.override(language):
        agree(records, chunk_rows, scope)


@translation.override("en")
def test_everyday_rows_are_proven_in_columns_and_bad_ones_explained():
    good = [tuple({**GOOD, "contract_number": f"HT-{n}"}.values()) for n in range(50)]
    bad = tuple({**GOOD, "contract_number": "HT-7", "amount_owed": "1.005"}.values())
    columnar = ColumnarValidator(scope=EVERYTHING, today=TODAY)
    results = list(columnar.validate_chunk(list(range(2, 54)), [*good, bad, good[3]]))
    assert all(isinstance(row, LedgerRow) for row in results[:50])
    assert [error.column for error in results[50]] == ["amount_owed", "contract_number"]
    assert "row 9" in results[50][1].reason and "row 5" in results[51][0].reason
    assert columnar.rows_explained == 2


def test_the_web_processes_do_not_load_polars():
    """Only a process that validates a file pays for polars (0.3 s, 38 MB)."""
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, sys; django.setup(); import qingqian.urls; "
            "print('polars' in sys.modules)",
        ],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "qingqian.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "False"

"""Administrative division codes (行政区划代码, GB/T 2260, 6 digits).

The package ships the 34 provincial-level units and the 333 prefecture-level
units (core/data/*.csv, MCA list as of 2024-12-31; see REGIONS_SOURCE.md).
County-level units change every year, so they live in the database and an
administrator imports them (`qingqian regions import`); this module still
knows a county's province from its first two digits, which never changes.

Code shape: ``PP0000`` is a province, ``PPCC00`` a prefecture, anything else
(last two digits 01-99) a county-level unit. The four municipalities
(北京, 天津, 上海, 重庆) have no prefecture level: `prefectures` returns an
empty tuple for them and their districts hang directly under the province.

Pure Python: the CSV helpers here are also what the Django import service
uses, so the rules are tested once, without a database.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

Level = Literal["province", "prefecture", "county"]

MUNICIPALITY_CODES = frozenset({"110000", "120000", "310000", "500000"})
MAX_NAME_LENGTH = 60
_CODE = re.compile(r"[0-9]{6}", re.ASCII)
CODE_HEADERS = frozenset({"code", "代码", "区划代码", "行政区划代码"})
NAME_HEADERS = frozenset({"name", "名称", "区划名称"})


class RegionError(ValueError):
    """A region code that cannot be used; ``code`` says why, machine-readably:
    ``bad_format`` (not 6 ASCII digits), ``unknown_province``, ``not_a_province``."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: Level
    province_code: str


@cache
def _load() -> dict[str, Region]:
    """All shipped regions by code, read once from the package data."""
    data = resources.files("qingqian.core").joinpath("data")
    regions: dict[str, Region] = {}
    for row in _read_csv(data.joinpath("provinces.csv")):
        regions[row["code"]] = Region(row["code"], row["name"], "province", row["code"])
    for row in _read_csv(data.joinpath("prefectures.csv")):
        regions[row["code"]] = Region(row["code"], row["name"], "prefecture", row["province_code"])
    return regions


def _read_csv(resource) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(resource.read_text(encoding="utf-8"))))


def is_code_shaped(code: object) -> bool:
    """Exactly six ASCII digits (``str.isdigit`` would also accept '١٢٣')."""
    return isinstance(code, str) and _CODE.fullmatch(code) is not None


def level_of_code(code: str) -> Level:
    """The level a code's shape says it has (not whether it exists)."""
    _require_shape(code)
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "county"


def _require_shape(code: object) -> None:
    if not is_code_shaped(code):
        raise RegionError("bad_format", f"{code!r} is not a 6-digit region code")


def province_code_of(code: str) -> str:
    """The province code of any well-shaped code, e.g. 440305 -> 440000 (unchecked)."""
    _require_shape(code)
    return code[:2] + "0000"


def province_of(code: str) -> Region:
    """The provincial-level unit containing any 6-digit code, shipped or not.

    Works for county codes that are not shipped (and even not yet imported),
    because GB/T 2260 fixes the first two digits to the province.
    """
    province = _load().get(province_code_of(code))
    if province is None:
        raise RegionError("unknown_province", f"{code}: no province has the prefix {code[:2]}")
    return province


def has_known_province(code: object) -> bool:
    return is_code_shaped(code) and province_code_of(code) in _load()


# Bodies MIIT's notices address that GB/T 2260 gives no code (DOMAIN.md §7a):
# the Xinjiang Production and Construction Corps reports as a provincial-level
# unit, but its divisions lie inside Xinjiang (65). The platform gives it a
# code of its own, under no GB/T prefix, kept out of the code list: nothing can
# be located there (no debtor, complaint or ledger item), no map shows it, and
# `provinces()` still lists the 34 GB/T units. Only an organisation (its SME
# authority) has it, so it can be named, scoped and made a reporting unit.
XPCC_CODE = "660000"
PLATFORM_UNITS = {XPCC_CODE: Region(XPCC_CODE, "新疆生产建设兵团", "province", XPCC_CODE)}


def is_platform_unit(code: object) -> bool:
    """A code the platform defines for a body outside the GB/T 2260 list."""
    return isinstance(code, str) and code in PLATFORM_UNITS


def lookup(code: object) -> Region | None:
    """A shipped province or prefecture, or a platform-defined unit; None for
    anything else (counties are in the DB)."""
    if not isinstance(code, str):
        return None
    return _load().get(code) or PLATFORM_UNITS.get(code)


def is_valid_region_code(code: object) -> bool:
    """Six digits under a known province, naming a province, a shipped prefecture
    or a county-level unit (the latter cannot be checked here: counties change
    yearly and live in the database)."""
    if not has_known_province(code):
        return False
    return level_of_code(code) == "county" or code in _load()


def is_municipality(code: str) -> bool:
    """True for 北京, 天津, 上海, 重庆 and any code under them."""
    return province_code_of(code) in MUNICIPALITY_CODES


def provinces() -> tuple[Region, ...]:
    """The 34 provincial-level units of GB/T 2260, by code (no platform-defined unit)."""
    return tuple(r for r in _sorted() if r.level == "province")


def prefectures(province_code: str) -> tuple[Region, ...]:
    """Prefecture-level units of one province, by code; empty for municipalities."""
    province = lookup(province_code)
    if province is None or province.level != "province":
        raise RegionError("not_a_province", f"{province_code!r} is not a province code")
    return tuple(
        r for r in _sorted() if r.level == "prefecture" and r.province_code == province.code
    )


@cache
def _sorted() -> tuple[Region, ...]:
    return tuple(sorted(_load().values(), key=lambda r: r.code))


# --- county import rows (validated here, written by reference.services.regions) ---


@dataclass(frozen=True)
class CountyRow:
    """One data row of an import file; ``line`` is its 1-based line in the file."""

    line: int
    code: str
    name: str


@dataclass(frozen=True)
class RowProblem:
    line: int
    code: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.code or '(empty code)'}: {self.reason}"


class CountyRowsError(ValueError):
    """Some rows of an import are bad; nothing was written. ``problems`` lists them all."""

    def __init__(self, problems: list[RowProblem]):
        super().__init__(f"{len(problems)} bad row(s); nothing imported")
        self.problems = problems


def read_county_csv(text: str) -> list[CountyRow]:
    """Rows of a county CSV: ``code,name`` with an optional header.

    A header is recognised by a cell named ``code`` (or 代码, 区划代码,
    行政区划代码); then the code and name (名称, 区划名称) columns are used
    wherever they are, so files with extra columns (like the MCA-derived
    counties.csv) work. Without a header the first two columns are code and
    name. Blank lines are skipped.
    """
    records = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    numbered = [(line, rec) for line, rec in enumerate(records, start=1) if any(rec)]
    if not numbered:
        return []
    code_col, name_col = 0, 1
    header = [cell.strip().lower() for cell in numbered[0][1]]
    if any(cell in CODE_HEADERS for cell in header):
        code_col = _column(header, CODE_HEADERS)
        name_col = _column(header, NAME_HEADERS)
        numbered = numbered[1:]
    return [_county_row(line, rec, code_col, name_col) for line, rec in numbered]


def _column(header: list[str], names: frozenset[str]) -> int:
    """Index of the first header cell in ``names``; -1 (no such column) if none."""
    return next((index for index, cell in enumerate(header) if cell in names), -1)


def _county_row(line: int, record: list[str], code_col: int, name_col: int) -> CountyRow:
    def cell(col: int) -> str:
        return record[col].strip() if 0 <= col < len(record) else ""

    return CountyRow(line=line, code=cell(code_col), name=cell(name_col))


def county_row_problems(rows: Iterable[CountyRow]) -> list[RowProblem]:
    """Every problem in every row (not just the first), in file order."""
    problems: list[RowProblem] = []
    first_line: dict[str, int] = {}
    for row in rows:
        reason = _county_row_reason(row)
        if reason is None and row.code in first_line:
            reason = f"duplicate code (first on line {first_line[row.code]})"
        first_line.setdefault(row.code, row.line)
        if reason:
            problems.append(RowProblem(row.line, row.code, reason))
    return problems


def _county_row_reason(row: CountyRow) -> str | None:
    if not is_code_shaped(row.code):
        return "code must be 6 digits"
    if not has_known_province(row.code):
        return f"no province has the prefix {row.code[:2]}"
    if level_of_code(row.code) != "county":
        return "province and prefecture codes ship with the package; only county codes import"
    if not row.name:
        return "name is empty"
    if len(row.name) > MAX_NAME_LENGTH:
        return f"name is longer than {MAX_NAME_LENGTH} characters"
    return None

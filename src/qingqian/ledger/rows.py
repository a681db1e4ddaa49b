"""One ledger row: cells in, a typed `LedgerRow` or every `RowError` out.

`RowValidator` checks the rows of one file: it keeps the caches (credit codes
and regions repeat across thousands of rows) and remembers each row's key so
that a second row for the same debtor, creditor and contract is refused,
naming the first. `validate_row` checks a single row on its own.

Speed matters (a return can have a million rows), so the happy path avoids
per-cell translation and regex compilation; messages are only built for bad
cells. Cells may be text (CSV, XLSX) or the typed values an XLSX reader gives
(date, datetime, float, int, bool).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from operator import mul

from django.utils.translation import gettext_lazy as _

from qingqian.core import regions
from qingqian.core.messages import uscc_error_message
from qingqian.core.money import MoneyError, parse_yuan
from qingqian.core.scoping import Scope
from qingqian.core.uscc import (
    ALPHABET,
    NATIONAL_REGION,
    UsccResult,
    check_uscc,
    org_code_check_digit,
)
from qingqian.ledger.columns import BY_KEY, CHOICES, COLUMNS, Column, choice_value

EARLIEST_DATE = date(1990, 1, 1)
# LedgerRow field of each column whose name differs (amounts are fen, as in LedgerItem).
FIELD_OF_COLUMN = {
    "amount_owed": "owed_fen",
    "amount_paid": "paid_fen",
    "disputed_amount": "disputed_fen",
}
MAX_VALUE_CHARS = 200  # what an error report keeps of a bad value (LedgerImportError.value)
# A spreadsheet runs text starting with these as a formula (or DDE payload).
FORMULA_STARTS = frozenset("=+-@\t\r")
_AMOUNT_FORMULA_STARTS = frozenset("=@\t\r")  # a leading sign is left to parse_yuan


@dataclass(frozen=True)
class LedgerRow:
    """A valid row: amounts in fen, dates as `date`, credit codes normalised;
    ``line`` is its spreadsheet row number (header = 1)."""

    line: int
    debtor_uscc: str
    debtor_name: str
    debtor_type: str
    region_code: str
    creditor_uscc: str
    creditor_name: str
    contract_number: str
    contract_signed_on: date
    subject: str
    due_on: date
    owed_fen: int
    paid_fen: int
    disputed_fen: int
    notes: str

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies the debt across imports (re-importing updates it)."""
        return (self.debtor_uscc, self.creditor_uscc, self.contract_number)

    @classmethod
    def _from_checked(cls, fields: dict) -> LedgerRow:
        """Build from the validator's complete field dict. The generated __init__
        of a frozen dataclass pays an object.__setattr__ per field, a sixth of
        the time of a whole row check; filling __dict__ keeps it frozen for users."""
        row = object.__new__(cls)
        row.__dict__.update(fields)
        return row


@dataclass(frozen=True, slots=True)
class RowError:
    """One bad cell: spreadsheet row number (header = 1), column key, the value
    as written (shortened), and a translated reason naming the column."""

    row: int
    column: str
    value: str
    reason: str


MESSAGES = {
    "required": _("%(column)s is required."),
    "too_long": _("%(column)s must be at most %(max)d characters (this one has %(length)d)."),
    "formula": _("%(column)s: formulas are not accepted (the value starts with %(start)s)."),
    "uscc": _("%(column)s: %(reason)s"),
    "same_uscc": _("%(column)s must differ from the debtor's credit code."),
    "choice": _("%(column)s must be one of: %(choices)s."),
    "region_shape": _("%(column)s must be a 6-digit region code."),
    "region_unknown": _("%(column)s: %(value)s is not a known region code."),
    "region_scope": _("%(column)s: region %(value)s is outside the regions you may import for."),
    "date": _("%(column)s is not a date (write 2024-03-31, 2024/3/31 or 2024年3月31日)."),
    "date_early": _("%(column)s is before 1990."),
    "date_future": _("%(column)s is after today."),
    "due_before_signing": _("%(column)s is before the contract signing date."),
    "paid_over_owed": _("%(column)s exceeds the amount owed."),
    "disputed_over_outstanding": _(
        "%(column)s exceeds the amount still outstanding (owed minus paid)."
    ),
    "duplicate": _(
        "%(column)s: row %(first)d already has this debtor, creditor and contract number."
    ),
}
MONEY_MESSAGES = {
    "invalid_format": _("%(column)s is not an amount in yuan (example: 1,234.56)."),
    "not_finite": _("%(column)s is not an amount in yuan (example: 1,234.56)."),
    "not_ascii_digits": _("%(column)s: write the amount with the digits 0-9."),
    "exponent": _("%(column)s: write the amount in full, without an exponent."),
    "bad_grouping": _("%(column)s: thousands separators must split groups of 3 digits."),
    "leading_zero": _("%(column)s: remove the leading zeros."),
    "too_many_decimals": _("%(column)s: at most 2 decimals (fen) are allowed."),
    "too_large": _("%(column)s must be below 10^15 yuan."),
    "negative": _("%(column)s may not be negative."),
    "zero": _("%(column)s must be greater than zero."),
}


class _Problem(Exception):
    """A bad cell; raised by the cell parsers, turned into a RowError by the row."""

    def __init__(self, message, **params):
        super().__init__(message)
        self.message = message
        self.params = params

    def reason(self, column: Column) -> str:
        return str(self.message % {"column": column.header, **self.params})


# --- cell text ---------------------------------------------------------------


def cell_text(value: object) -> str:
    """Text of a cell as a person would read it (XLSX gives typed values)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # Whole numbers (contract 2023001, region 440100) without ".0"; others
        # in shortest round-trip form, so 1234.56 stays 1234.56 for parse_yuan.
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _display(value: object) -> str:
    text = cell_text(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def _stripped(raw: object, column: Column, formula_starts=FORMULA_STARTS) -> str:
    """The cell's text without surrounding space; '' for an empty optional cell."""
    text = raw if type(raw) is str else cell_text(raw)
    stripped = text.strip()
    if not stripped:
        if column.required:
            raise _Problem(MESSAGES["required"])
        return ""
    if text[0] in formula_starts or stripped[0] in formula_starts:
        start = text[0] if text[0] in formula_starts else stripped[0]
        raise _Problem(MESSAGES["formula"], start=repr(start))
    return stripped


# --- credit codes ------------------------------------------------------------

_CLEAN_USCC = re.compile(r"[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}")
_USCC_VALUES = {char: value for value, char in enumerate(ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _clean_code_is_valid(code: str) -> bool:
    """Fast check of an already-normalised code; equals ``check_uscc(code).valid``
    (a test compares them), in a fraction of its time. False means "let
    check_uscc decide and explain", not necessarily invalid."""
    if not _CLEAN_USCC.fullmatch(code):
        return False
    region = code[2:8]
    if region != NATIONAL_REGION and not regions.has_known_province(region):
        return False
    total = sum(map(mul, map(_USCC_VALUES.__getitem__, code[:17]), _USCC_WEIGHTS))
    if code[17] != ALPHABET[-total % 31]:
        return False
    return code[16] == org_code_check_digit(code[8:16])


@lru_cache(maxsize=100_000)
def checked_uscc(text: str) -> UsccResult:
    """check_uscc, cached (debtors and creditors repeat down a ledger)."""
    if _clean_code_is_valid(text):
        return UsccResult(True, text, "valid", "ok")
    return check_uscc(text)


# --- dates and amounts -------------------------------------------------------

_DATE = re.compile(r"([0-9]{4})([-/])([0-9]{1,2})\2([0-9]{1,2})", re.ASCII)
_CHINESE_DATE = re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日", re.ASCII)
_PLAIN_AMOUNT = re.compile(r"(0|[1-9][0-9]{0,14})(?:\.([0-9]{1,2}))?", re.ASCII)


@lru_cache(maxsize=20_000)
def parse_date_text(text: str) -> date | None:
    """YYYY-MM-DD, YYYY/M/D or YYYY年M月D日; None if it is none of them (or no real day)."""
    match = _DATE.fullmatch(text)
    parts = (match[1], match[3], match[4]) if match else None
    if parts is None:
        match = _CHINESE_DATE.fullmatch(text)
        parts = match.groups() if match else None
    if parts is None:
        return None
    try:
        return date(*map(int, parts))
    except ValueError:  # 2024-02-30
        return None


def parse_amount(text: str) -> int:
    """Fen from yuan text: the common plain form inline, the rest by parse_yuan."""
    match = _PLAIN_AMOUNT.fullmatch(text)
    if match:
        return int(match[1]) * 100 + int((match[2] or "0").ljust(2, "0"))
    try:
        return parse_yuan(text)
    except MoneyError as error:
        raise _Problem(MONEY_MESSAGES.get(error.code, MONEY_MESSAGES["invalid_format"])) from None


def _is_amount(text: str) -> bool:
    try:
        parse_yuan(text)
    except MoneyError:
        return False
    return True


# --- duplicate keys ----------------------------------------------------------


class FirstRows:
    """The first row of every key seen, in about 12 bytes a key.

    A dict of key tuples would take some 300 bytes a row, 300 MB for a
    million-row file; this open-addressing table keeps only each key's 64-bit
    hash. Two different keys sharing a hash (odds around 1 in 10^7 for two
    million rows) would be reported as a duplicate: a false refusal the user
    can see, never a silent overwrite.
    """

    def __init__(self, capacity: int = 1 << 12):
        self._hashes = array("q", [0]) * capacity
        self._rows = array("I", [0]) * capacity
        self._count = 0

    def first_row(self, key: tuple, row: int) -> int | None:
        """Remember ``key`` at ``row``; return the earlier row if the key was seen."""
        digest = hash(key) or 1  # 0 marks an empty slot
        hashes = self._hashes
        mask = len(hashes) - 1
        slot = digest & mask
        while hashes[slot]:
            if hashes[slot] == digest:
                return self._rows[slot]
            slot = (slot + 1) & mask
        hashes[slot] = digest
        self._rows[slot] = row
        self._count += 1
        if self._count * 2 > len(hashes):
            self._grow()
        return None

    def _grow(self) -> None:
        old = zip(self._hashes, self._rows, strict=True)
        self._hashes = array("q", [0]) * (len(self._hashes) * 2)
        self._rows = array("I", [0]) * len(self._hashes)
        mask = len(self._hashes) - 1
        for digest, row in old:
            if digest:
                slot = digest & mask
                while self._hashes[slot]:
                    slot = (slot + 1) & mask
                self._hashes[slot] = digest
                self._rows[slot] = row


# --- the row -----------------------------------------------------------------


class RowValidator:
    """Checks the rows of one file, in order; see the module docstring."""

    def __init__(self, *, scope: Scope, today: date):
        self.scope = scope
        self.today = today
        self._regions: dict[str, str | None] = {}
        self._first_rows = FirstRows()
        self._parsers = tuple(
            (column.key, FIELD_OF_COLUMN.get(column.key, column.key), column, self._parser(column))
            for column in COLUMNS
        )

    def _parser(self, column: Column):
        return getattr(self, f"_{column.kind}")

    def validate(self, line: int, cells: Mapping[str, object]) -> LedgerRow | list[RowError]:
        """Every problem of the row (one error per bad field), or the typed row."""
        fields: dict[str, object] = {"line": line}
        problems: list[tuple[str, _Problem]] = []
        for key, field, column, parse in self._parsers:
            try:
                fields[field] = parse(cells.get(key), column)
            except _Problem as problem:
                problems.append((key, problem))
        problems += self._cross_field_problems(fields)
        problems += self._duplicate_problems(line, fields)
        if not problems:
            return LedgerRow._from_checked(fields)
        return [
            RowError(line, key, _display(cells.get(key)), problem.reason(BY_KEY[key]))
            for key, problem in problems
        ]

    # Cell parsers, named after Column.kind: raw cell -> value, or _Problem.

    def _text(self, raw: object, column: Column) -> str:
        text = _stripped(raw, column)
        if len(text) > column.max_length:
            raise _Problem(MESSAGES["too_long"], max=column.max_length, length=len(text))
        return text

    def _uscc(self, raw: object, column: Column) -> str:
        result = checked_uscc(_stripped(raw, column))
        if not result.valid:
            raise _Problem(MESSAGES["uscc"], reason=uscc_error_message(result))
        return result.code

    def _choice(self, raw: object, column: Column) -> str:
        text = _stripped(raw, column)
        if not text:
            return ""
        value = choice_value(column.key, text)
        if value is None:
            raise _Problem(MESSAGES["choice"], choices=", ".join(CHOICES[column.key]))
        return value

    def _region(self, raw: object, column: Column) -> str:
        code = _stripped(raw, column)
        if code not in self._regions:
            if len(self._regions) > 100_000:  # a bound, not an expected size
                self._regions.clear()
            self._regions[code] = self._region_problem(code)
        problem = self._regions[code]
        if problem:
            raise _Problem(MESSAGES[problem], value=code)
        return code

    def _region_problem(self, code: str) -> str | None:
        if not regions.is_code_shaped(code):
            return "region_shape"
        if not regions.is_valid_region_code(code):
            return "region_unknown"
        if not self.scope.covers_region(code):
            return "region_scope"
        return None

    def _date(self, raw: object, column: Column) -> date:
        if isinstance(raw, datetime):
            day = raw.date()
        elif isinstance(raw, date):
            day = raw
        else:
            day = parse_date_text(_stripped(raw, column))
            if day is None:
                raise _Problem(MESSAGES["date"])
        if day < EARLIEST_DATE:
            raise _Problem(MESSAGES["date_early"])
        if day > self.today:
            raise _Problem(MESSAGES["date_future"])
        return day

    def _money(self, raw: object, column: Column) -> int:
        text = _stripped(raw, column, _AMOUNT_FORMULA_STARTS)
        if not text:
            return 0
        if text[0] in "+-" and not _is_amount(text[1:].strip()):
            # "-5" is a negative amount (refused as such by parse_yuan); "-A1*2" a formula.
            raise _Problem(MESSAGES["formula"], start=repr(text[0]))
        fen = parse_amount(text)
        if fen == 0 and column.required:
            raise _Problem(MONEY_MESSAGES["zero"])
        return fen

    def _cross_field_problems(self, fields: dict) -> list[tuple[str, _Problem]]:
        """Rules between fields, each blamed on the later column; skipped when
        one of its fields is already bad (that field has its own error)."""
        problems = []
        debtor, creditor = fields.get("debtor_uscc"), fields.get("creditor_uscc")
        if debtor and debtor == creditor:
            problems.append(("creditor_uscc", _Problem(MESSAGES["same_uscc"])))
        signed, due = fields.get("contract_signed_on"), fields.get("due_on")
        if signed and due and due < signed:
            problems.append(("due_on", _Problem(MESSAGES["due_before_signing"])))
        owed, paid, disputed = map(fields.get, ("owed_fen", "paid_fen", "disputed_fen"))
        if owed is None or paid is None:
            return problems
        if paid > owed:
            problems.append(("amount_paid", _Problem(MESSAGES["paid_over_owed"])))
        elif disputed is not None and disputed > owed - paid:
            problems.append(("disputed_amount", _Problem(MESSAGES["disputed_over_outstanding"])))
        return problems

    def _duplicate_problems(self, line: int, fields: dict) -> list[tuple[str, _Problem]]:
        """Keys of rows whose key fields are valid are remembered, even when
        another field is bad: the user fixes both rows, not one twice."""
        key = tuple(map(fields.get, ("debtor_uscc", "creditor_uscc", "contract_number")))
        if not all(key):
            return []
        first = self._first_rows.first_row(key, line)
        if first is None:
            return []
        return [("contract_number", _Problem(MESSAGES["duplicate"], first=first))]


def validate_row(
    line_number: int, cells: Mapping[str, object], *, scope: Scope, today: date
) -> LedgerRow | list[RowError]:
    """One row on its own (duplicates across rows need a shared `RowValidator`)."""
    return RowValidator(scope=scope, today=today).validate(line_number, cells)

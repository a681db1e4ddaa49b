"""Checking one ledger row: cells in, a typed `LedgerRow` or every `RowError` out.

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
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

from qingqian.core import regions
from qingqian.core.messages import uscc_error_message
from qingqian.core.money import MoneyError, is_amount, parse_yuan, plain_fen
from qingqian.core.scoping import Scope
from qingqian.core.spreadsheets import FORMULA_STARTS
from qingqian.core.uscc import check_uscc, quick_uscc, valid_uscc
from qingqian.ledger.columns import (
    BY_KEY,
    CHOICES,
    COLUMNS,
    DEBTOR_TYPES,
    KEYS,
    SUBJECTS,
    Column,
    choice_value,
)
from qingqian.ledger.imports.rows import LedgerRow, RowError, cell_text

EARLIEST_DATE = date(1990, 1, 1)
# LedgerRow field of each column whose name differs (amounts are fen, as in LedgerItem).
FIELD_OF_COLUMN = {
    "amount_owed": "owed_fen",
    "amount_paid": "paid_fen",
    "disputed_amount": "disputed_fen",
}
INDEX = {key: index for index, key in enumerate(KEYS)}
DEBTOR_NAME_MAX = BY_KEY["debtor_name"].max_length
CREDITOR_NAME_MAX = BY_KEY["creditor_name"].max_length
CONTRACT_MAX = BY_KEY["contract_number"].max_length
NOTES_MAX = BY_KEY["notes"].max_length
_EMPTY = ("", None)  # an empty cell (a 0.0 or False from XLSX is not empty)
MAX_VALUE_CHARS = 200  # what an error report keeps of a bad value (LedgerImportError.value)
# A spreadsheet runs text starting with these as a formula (or DDE payload).
_AMOUNT_FORMULA_STARTS = frozenset("=@\t\r")  # a leading sign is left to parse_yuan


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


def _plain_start(raw: str, stripped: str) -> bool:
    """Neither the cell nor its stripped text starts like a formula."""
    return raw[0] not in FORMULA_STARTS and stripped[0] not in FORMULA_STARTS


def _quick_text(raw: object, max_length: int) -> str | None:
    """Stripped text of an ordinary, non-empty text cell within its length; else None."""
    if type(raw) is str:
        text = raw.strip()
        if text and _plain_start(raw, text) and len(text) <= max_length:
            return text
    return None


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


# --- dates and amounts -------------------------------------------------------

_DATE = re.compile(r"([0-9]{4})([-/])([0-9]{1,2})\2([0-9]{1,2})", re.ASCII)
_CHINESE_DATE = re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日", re.ASCII)


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


def _quick_optional_fen(raw: object) -> int | None:
    if raw in _EMPTY:
        return 0
    return plain_fen(raw) if type(raw) is str else None


def _fen(text: str) -> int:
    """`parse_yuan`, its refusal told in the column's words."""
    try:
        return parse_yuan(text)
    except MoneyError as error:
        raise _Problem(MONEY_MESSAGES.get(error.code, MONEY_MESSAGES["invalid_format"])) from None


# --- duplicate keys ----------------------------------------------------------


class FirstRows:
    """The first row of every key seen, in about 12 bytes a key.

    A dict of key tuples would take some 300 bytes a row, 300 MB for a
    million-row file; this open-addressing table keeps only each key's 64-bit
    hash. Two different keys sharing a hash (odds around 1 in 10^7 for two
    million rows) would be reported as a duplicate: a false refusal the user
    can see, never a silent overwrite.
    """

    def __init__(self, capacity: int = 1 << 16):
        self._hashes = array("q", [0]) * capacity
        self._rows = array("I", [0]) * capacity
        self._room = capacity // 2  # inserts left before the table is half full

    def first_row(self, key: tuple, row: int) -> int | None:
        """Remember ``key`` at ``row``; return the earlier row if the key was seen."""
        digest = hash(key) or 1  # 0 marks an empty slot
        hashes = self._hashes
        mask = len(hashes) - 1
        slot = digest & mask
        found = hashes[slot]
        while found:
            if found == digest:
                return self._rows[slot]
            slot = (slot + 1) & mask
            found = hashes[slot]
        hashes[slot] = digest
        self._rows[slot] = row
        self._room -= 1
        if not self._room:
            self._grow()
        return None

    def _grow(self) -> None:
        """Four times the slots: fewer of these Python-speed rehashes."""
        old_hashes, old_rows = self._hashes, self._rows
        hashes = self._hashes = array("q", [0]) * (len(old_hashes) * 4)
        rows = self._rows = array("I", [0]) * len(hashes)
        self._room = len(hashes) // 2 - len(old_hashes) // 2
        mask = len(hashes) - 1
        for digest, row in zip(old_hashes, old_rows, strict=True):
            if digest:
                slot = digest & mask
                while hashes[slot]:
                    slot = (slot + 1) & mask
                hashes[slot] = digest
                rows[slot] = row


# --- the row -----------------------------------------------------------------


class RowValidator:
    """Checks the rows of one file, in order; see the module docstring."""

    def __init__(self, *, scope: Scope, today: date, first_rows=None):
        """``first_rows`` answers "which row had this key first?" (see
        `FirstRows.first_row`); the columnar validator passes its own answers."""
        self.scope = scope
        self.today = today
        self._regions: dict[str, str | None] = {}
        self._first_rows = first_rows or FirstRows()
        self._parsers = tuple(
            (FIELD_OF_COLUMN.get(column.key, column.key), column, self._parser(column))
            for column in COLUMNS
        )

    def _parser(self, column: Column):
        return getattr(self, f"_{column.kind}")

    def validate(self, line: int, cells: Mapping[str, object]) -> LedgerRow | list[RowError]:
        """Every problem of the row (one error per bad field), or the typed row.
        ``cells`` maps column keys to cell values; absent keys are empty cells."""
        return self.validate_values(line, tuple(map(cells.get, KEYS)))

    def validate_chunk(
        self, lines: Sequence[int], records: Sequence[Sequence]
    ) -> list[LedgerRow | list[RowError]]:
        """`validate_values` for each row, in order (the readers' interface)."""
        pairs = zip(lines, records, strict=True)
        return [self.validate_values(line, values) for line, values in pairs]

    def validate_values(self, line: int, values: Sequence) -> LedgerRow | list[RowError]:
        """`validate` for the cells in `COLUMNS` order (what the readers pass:
        it saves building a dict per row)."""
        fields = self._quick_fields(line, values)
        if fields is not None and self._consistent(fields):
            return LedgerRow._from_checked(fields)
        return self._explained(line, values)

    def _quick_fields(self, line: int, values: Sequence) -> dict | None:
        """All fields of a row whose every cell is text in its everyday form,
        or None to let `_explained` decide. Straight-line code for the
        million-row case; it accepts only what the parsers below accept (the
        tests run every bad value through it, and compare both paths)."""
        (debtor, debtor_name, debtor_type, region, creditor, creditor_name, contract) = values[:7]
        (signed, subject, due, owed, paid, disputed, notes) = values[7:]
        fields = {
            "line": line,
            "debtor_uscc": quick_uscc(debtor),
            "debtor_name": _quick_text(debtor_name, DEBTOR_NAME_MAX),
            "debtor_type": DEBTOR_TYPES.get(debtor_type),
            "region_code": region if self._regions.get(region, "") is None else None,
            "creditor_uscc": quick_uscc(creditor),
            "creditor_name": _quick_text(creditor_name, CREDITOR_NAME_MAX),
            "contract_number": _quick_text(contract, CONTRACT_MAX),
            "contract_signed_on": self._quick_date(signed),
            "subject": "" if subject in _EMPTY else SUBJECTS.get(subject),
            "due_on": self._quick_date(due),
            "owed_fen": plain_fen(owed) or None if type(owed) is str else None,
            "paid_fen": _quick_optional_fen(paid),
            "disputed_fen": _quick_optional_fen(disputed),
            "notes": "" if notes in _EMPTY else _quick_text(notes, NOTES_MAX),
        }
        return None if None in fields.values() else fields

    def _quick_date(self, raw: object) -> date | None:
        if type(raw) is str and raw and raw[0] not in FORMULA_STARTS:
            day = parse_date_text(raw.strip())
            if day is not None and EARLIEST_DATE <= day <= self.today:
                return day
        return None

    def _explained(self, line: int, values: Sequence) -> LedgerRow | list[RowError]:
        """Cell by cell, collecting every problem with its reason."""
        fields: dict[str, object] = {"line": line}
        problems: list[tuple[str, _Problem]] = []
        for (field, column, parse), raw in zip(self._parsers, values, strict=True):
            try:
                fields[field] = parse(raw, column)
            except _Problem as problem:
                problems.append((column.key, problem))
        if not problems and self._consistent(fields):
            return LedgerRow._from_checked(fields)
        problems += self._cross_field_problems(fields)
        problems += self._duplicate_problems(line, fields)
        return [
            RowError(line, key, _display(values[INDEX[key]]), problem.reason(BY_KEY[key]))
            for key, problem in problems
        ]

    def _consistent(self, fields: dict) -> bool:
        """The cross-field and duplicate rules on a row whose every cell is good;
        False sends the row through the explaining path."""
        owed, paid = fields["owed_fen"], fields["paid_fen"]
        key = (fields["debtor_uscc"], fields["creditor_uscc"], fields["contract_number"])
        return (
            key[0] != key[1]
            and fields["due_on"] >= fields["contract_signed_on"]
            and paid <= owed
            and fields["disputed_fen"] <= owed - paid
            and self._first_rows.first_row(key, fields["line"]) is None
        )

    # Cell parsers, named after Column.kind: raw cell -> value, or _Problem.
    # Each starts with a shortcut for an ordinary cell: rows the quick path
    # declines (XLSX's typed cells, or one odd cell) still have many of those.

    def _text(self, raw: object, column: Column) -> str:
        if type(raw) is str:
            text = raw.strip()
            if text and _plain_start(raw, text) and len(text) <= column.max_length:
                return text
        text = _stripped(raw, column)
        if len(text) > column.max_length:
            raise _Problem(MESSAGES["too_long"], max=column.max_length, length=len(text))
        return text

    def _uscc(self, raw: object, column: Column) -> str:
        code = quick_uscc(raw)
        if code:
            return code
        text = _stripped(raw, column)
        code = valid_uscc(text)
        if code is None:
            raise _Problem(MESSAGES["uscc"], reason=uscc_error_message(check_uscc(text)))
        return code

    def _choice(self, raw: object, column: Column) -> str:
        value = CHOICES[column.key].get(raw)
        if value:
            return value
        text = _stripped(raw, column)
        if not text:
            return ""
        value = choice_value(column.key, text)
        if value is None:
            raise _Problem(MESSAGES["choice"], choices=", ".join(CHOICES[column.key]))
        return value

    def _region(self, raw: object, column: Column) -> str:
        if self._regions.get(raw, "") is None:
            return raw  # a code already found good, written exactly so
        code = _stripped(raw, column)
        if code not in self._regions:
            if len(self._regions) > 100_000:  # a bound, not an expected size
                self._regions.clear()
            self._regions[code] = self.region_problem(code)
        problem = self._regions[code]
        if problem:
            raise _Problem(MESSAGES[problem], value=code)
        return code

    def region_problem(self, code: str) -> str | None:
        """Why a region code (stripped text) is refused, or None if it is good."""
        if not regions.is_code_shaped(code):
            return "region_shape"
        if not regions.is_valid_region_code(code):
            return "region_unknown"
        if not self.scope.covers_region(code):
            return "region_scope"
        return None

    def _date(self, raw: object, column: Column) -> date:
        if type(raw) is str:
            day = parse_date_text(raw.strip()) if raw and raw[0] not in FORMULA_STARTS else None
            if day is None:
                day = parse_date_text(_stripped(raw, column))
        elif isinstance(raw, datetime):
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
        if type(raw) is str:
            fen = plain_fen(raw)
            if fen or (fen == 0 and not column.required):
                return fen
        text = _stripped(raw, column, _AMOUNT_FORMULA_STARTS)
        if not text:
            return 0
        if text[0] in "+-" and not is_amount(text[1:].strip()):
            # "-5" is a negative amount (refused as such by parse_yuan); "-A1*2" a formula.
            raise _Problem(MESSAGES["formula"], start=repr(text[0]))
        fen = _fen(text)
        if fen == 0 and column.required:
            raise _Problem(MONEY_MESSAGES["zero"])
        return fen

    def key_of(self, values: Sequence) -> tuple[str, str, str] | None:
        """The row's key (debtor, creditor, contract number) if those three
        cells are good, else None: what `_duplicate_problems` looks up."""
        try:
            return (
                self._uscc(values[INDEX["debtor_uscc"]], BY_KEY["debtor_uscc"]),
                self._uscc(values[INDEX["creditor_uscc"]], BY_KEY["creditor_uscc"]),
                self._text(values[INDEX["contract_number"]], BY_KEY["contract_number"]),
            )
        except _Problem:
            return None

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

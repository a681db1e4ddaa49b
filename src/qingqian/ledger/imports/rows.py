"""What a checked ledger row is: a typed `LedgerRow`, or the `RowError`s of
its bad cells; and how a cell reads as text."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime


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
        of a frozen dataclass pays an object.__setattr__ per field (3 us a row,
        a fifth of a row's check); taking the dict whole keeps it frozen for users."""
        row = object.__new__(cls)
        object.__setattr__(row, "__dict__", fields)
        return row


LEDGER_ROW_FIELDS = tuple(field.name for field in fields(LedgerRow))


@dataclass(frozen=True, slots=True)
class RowError:
    """One bad cell: spreadsheet row number (header = 1), column key, the value
    as written (shortened), and a translated reason naming the column."""

    row: int
    column: str
    value: str
    reason: str


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

"""Overdue interest under the Regulations on Guaranteeing Payments to SMEs.

Pure Python (no Django). The rule (2020 Art. 15 / 2025 Art. 17):

* an agreed annual rate may not be below the one-year LPR in force on the
  contract signing date: a lower agreed rate is raised to that LPR;
* with no agreed rate, 0.05% of the overdue principal per day (万分之五).

How days are counted here, and why:

* Interest accrues for every calendar day after the due date up to and
  including the payment date (or the end date), on the principal outstanding
  that day. A payment on day D still pays D's interest on the principal
  before the payment ("until the day paid"); the principal falls from D+1.
* Payments on or before the due date reduce the principal before accrual.
* Annual rates divide by 365, in leap years too (the courts' usual daily form).
* Money stays exact (`Fraction` of a fen) until the very end, then rounds
  half-up to the fen once, so per-period rounding never adds up to a
  different total.

The Regulations are not retroactive: a contract signed before 2020-09-01 is
flagged in `warnings`, and `accrue_from_regulations_start=True` starts
accrual no earlier than 2020-09-01 (the Nanjing court's approach) -- only
when the caller asks, never silently.
"""

from __future__ import annotations

import bisect
import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from importlib import resources
from typing import NamedTuple

REGULATIONS_START = date(2020, 9, 1)
FIRST_LPR_DATE = date(2019, 8, 20)  # first fixing of the reformed LPR
STATUTORY_DAILY_RATE = Fraction(5, 10000)  # 0.05% a day
DAYS_PER_YEAR = 365
ONE_DAY = timedelta(days=1)


class InterestError(ValueError):
    """Input the calculator cannot accept; the (English) message names the field.

    `code`, `field` and `values` say the same as data, so that a page words it
    in the reader's language (`core.messages.interest_error_label`). Payment
    fields carry the payment's position as `values["index"]`.
    """

    def __init__(self, message: str, code: str = "", field: str = "", **values):
        super().__init__(message)
        self.code = code
        self.field = field
        self.values = values


class Note(NamedTuple):
    """A warning as a stable code and its values, for callers that word it in
    the reader's language; `note_text` words it in English (the CLI's)."""

    code: str
    values: dict


NOTE_TEXTS = {
    "signed_before_regulations": "contract signed {signed_on}, before the Regulations took "
    "effect on {start}: they are not retroactive and courts split on applying this rate",
    "due_before_regulations": "due date {due_date} is before the Regulations took effect on "
    "{start}, so the contract was probably signed before them: give the signing date",
    "payment_after_end": "payment of {fen} fen on {day} is after the end date {end_date} "
    "and is not counted",
}
OPTION_TEXTS = {
    True: "accrual starts no earlier than 2020-09-01, as requested",
    False: "accrual was NOT limited to start on 2020-09-01 (option: from regulations start)",
}


def note_text(note: Note) -> str:
    text = NOTE_TEXTS[note.code].format(**note.values)
    if "from_start" in note.values:
        text += "; " + OPTION_TEXTS[note.values["from_start"]]
    return text


# --- the LPR table ----------------------------------------------------------


class LprRow(NamedTuple):
    effective_from: date
    rate_percent: Decimal
    source: str = ""


class LprTable:
    """The one-year LPR as a step function: each rate holds until the next row."""

    def __init__(self, rows: Iterable[tuple[date, Decimal]]):
        pairs = sorted((row[0], row[1]) for row in rows)
        dates = [d for d, _ in pairs]
        if len(set(dates)) != len(dates):
            raise InterestError("LPR table: two rates for the same date", "lpr_twice", "lpr")
        for day, rate in pairs:
            if not isinstance(rate, Decimal) or not 0 < rate < 100:
                raise InterestError(
                    f"LPR table: rate on {day} must be a Decimal between 0 and 100",
                    "lpr_rate",
                    "lpr",
                    day=day,
                )
        self._dates = dates
        self._rates = [rate for _, rate in pairs]

    @property
    def rows(self) -> list[tuple[date, Decimal]]:
        return list(zip(self._dates, self._rates, strict=True))

    def rate_on(self, day: date) -> Decimal:
        """The rate in force on `day`; an error before the table's first fixing."""
        if not self._dates:
            raise InterestError(
                "the LPR table is empty: enter the one-year LPR fixings first", "lpr_empty", "lpr"
            )
        index = bisect.bisect_right(self._dates, day) - 1
        if index < 0:
            raise InterestError(
                f"no one-year LPR before {self._dates[0]} (the reformed LPR starts "
                f"{FIRST_LPR_DATE}); cannot find the LPR for {day}",
                "lpr_before_first",
                "signed_on",
                first=self._dates[0],
                day=day,
            )
        return self._rates[index]


def packaged_lpr_rows() -> list[LprRow]:
    """The fixings shipped in core/data/lpr_1y.csv, with their sources."""
    text = resources.files("qingqian.core").joinpath("data/lpr_1y.csv").read_text("utf-8")
    return [
        LprRow(date.fromisoformat(row["date"]), Decimal(row["rate_percent"]), row["source"])
        for row in csv.DictReader(io.StringIO(text))
    ]


def packaged_lpr_table() -> LprTable:
    return LprTable((row.effective_from, row.rate_percent) for row in packaged_lpr_rows())


# --- result types -----------------------------------------------------------


def round_half_up(value: Fraction) -> int:
    """Nearest whole fen, halves away from zero (amounts here are never negative)."""
    return int(value + Fraction(1, 2)) if value >= 0 else -round_half_up(-value)


def percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def fraction_as_decimal(value: Fraction, places: int = 10) -> str:
    """A readable decimal for display only; totals use the exact Fraction."""
    scaled = round_half_up(value * 10**places)
    return f"{Decimal(scaled).scaleb(-places):f}"


@dataclass(frozen=True)
class RateBasis:
    """Which rate applied and why, in words a user can check."""

    kind: str  # "statutory", "agreed", or "agreed_raised_to_lpr"
    daily_rate: Fraction  # a fraction of the principal per day
    explanation: str
    annual_percent: Decimal | None = None  # the annual rate applied, if annual
    lpr_percent: Decimal | None = None  # the LPR on the signing date, if looked up


@dataclass(frozen=True)
class Period:
    """Days `start`..`end` (both included) at one principal."""

    start: date
    end: date
    principal_fen: int
    daily_rate: Fraction

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def interest_exact(self) -> Fraction:
        return self.principal_fen * self.daily_rate * self.days

    @property
    def interest_fen(self) -> int:
        """Rounded for display; the total rounds the exact sum instead."""
        return round_half_up(self.interest_exact)

    def as_dict(self) -> dict:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "days": self.days,
            "principal_fen": self.principal_fen,
            "daily_rate_percent": fraction_as_decimal(self.daily_rate * 100),
            "interest_exact_fen": str(self.interest_exact),
            "interest_fen": self.interest_fen,
        }


@dataclass(frozen=True)
class InterestResult:
    total_fen: int
    total_exact: Fraction
    basis: RateBasis
    periods: tuple[Period, ...]
    warnings: tuple[str, ...]
    notes: tuple[Note, ...] = ()  # the warnings as codes and values

    def as_dict(self) -> dict:
        return {
            "total_fen": self.total_fen,
            "total_exact_fen": str(self.total_exact),
            "basis": {
                "kind": self.basis.kind,
                "explanation": self.basis.explanation,
                "daily_rate_percent": fraction_as_decimal(self.basis.daily_rate * 100),
                "annual_percent": _str_or_none(self.basis.annual_percent),
                "lpr_percent": _str_or_none(self.basis.lpr_percent),
            },
            "periods": [period.as_dict() for period in self.periods],
            "warnings": list(self.warnings),
        }


def _str_or_none(value) -> str | None:
    return None if value is None else str(value)


# --- the calculation --------------------------------------------------------


def overdue_interest(
    principal_fen: int,
    due_date: date,
    payments: Iterable[tuple[date, int]],
    end_date: date,
    agreed_annual_rate: Decimal | None = None,
    signed_on: date | None = None,
    lpr_table: LprTable | None = None,
    *,
    accrue_from_regulations_start: bool = False,
) -> InterestResult:
    """Overdue interest on `principal_fen` due on `due_date`, as of `end_date`.

    `payments` are (date, fen) pairs. `lpr_table` defaults to the packaged
    fixings; callers with a database pass `selectors.load_lpr_table()`.
    """
    _check_amount("principal_fen", principal_fen, allow_zero=True)
    for name, value in (("due_date", due_date), ("end_date", end_date), ("signed_on", signed_on)):
        _check_date(name, value, optional=name == "signed_on")
    payments = _clean_payments(principal_fen, payments)
    basis = rate_basis(agreed_annual_rate, signed_on, lpr_table)
    first_day = due_date + ONE_DAY
    if accrue_from_regulations_start:
        first_day = max(first_day, REGULATIONS_START)
    periods = _periods(principal_fen, payments, first_day, end_date, basis.daily_rate)
    notes = _notes(signed_on, due_date, accrue_from_regulations_start)
    notes += [
        Note("payment_after_end", {"fen": fen, "day": day, "end_date": end_date})
        for day, fen in payments
        if day > end_date
    ]
    exact = sum((period.interest_exact for period in periods), Fraction(0))
    warnings = tuple(note_text(note) for note in notes)
    return InterestResult(
        round_half_up(exact), exact, basis, tuple(periods), warnings, tuple(notes)
    )


def rate_basis(
    agreed_annual_rate: Decimal | None, signed_on: date | None, lpr_table: LprTable | None
) -> RateBasis:
    """The daily rate: statutory 0.05%, or the agreed annual rate floored at the LPR."""
    if agreed_annual_rate is None:
        return RateBasis(
            "statutory",
            STATUTORY_DAILY_RATE,
            "statutory 0.05% per day (万分之五): no agreed rate "
            "(Regulations 2020 Art. 15 / 2025 Art. 17)",
        )
    agreed = _check_rate(agreed_annual_rate)
    if signed_on is None:
        raise InterestError(
            "signed_on: an agreed rate needs the contract signing date, "
            "because the rate may not be below the one-year LPR on that date",
            "signed_on_needed",
            "signed_on",
        )
    lpr = (lpr_table or packaged_lpr_table()).rate_on(signed_on)
    applied = max(agreed, lpr)
    daily = Fraction(applied) / 100 / DAYS_PER_YEAR
    where = f"the 1Y LPR {percent(lpr)} in force on the signing date {signed_on}"
    if agreed < lpr:
        text = f"agreed {percent(agreed)} a year raised to {where} (Regulations Art. 15/17)"
        kind = "agreed_raised_to_lpr"
    else:
        text = f"agreed {percent(agreed)} a year, not below {where}"
        kind = "agreed"
    return RateBasis(kind, daily, f"{text}; daily rate = annual / 365", applied, lpr)


def _periods(principal, payments, first_day, end_date, daily_rate) -> list[Period]:
    """Split first_day..end_date at each payment date; a payment day accrues before paying."""
    outstanding = principal - sum(fen for day, fen in payments if day < first_day)
    periods, start = [], first_day
    for day, fen in payments:
        if day < first_day or day > end_date:
            continue
        if outstanding and day >= start:
            periods.append(Period(start, day, outstanding, daily_rate))
        outstanding -= fen
        start = day + ONE_DAY
    if outstanding and start <= end_date:
        periods.append(Period(start, end_date, outstanding, daily_rate))
    return periods


def _notes(signed_on, due_date, accrue_from_start) -> list[Note]:
    """Flag contracts that may predate the Regulations; courts split on them."""
    values = {"start": REGULATIONS_START, "from_start": accrue_from_start}
    if signed_on is not None and signed_on < REGULATIONS_START:
        return [Note("signed_before_regulations", {**values, "signed_on": signed_on})]
    if signed_on is None and due_date < REGULATIONS_START:
        return [Note("due_before_regulations", {**values, "due_date": due_date})]
    return []


# --- input checks -----------------------------------------------------------


def _check_amount(name: str, value, *, allow_zero: bool, field="", index=None) -> None:
    where = {"field": field or name, "index": index} if index else {"field": field or name}
    if not isinstance(value, int) or isinstance(value, bool):
        raise InterestError(
            f"{name}: must be a whole number of fen, not {value!r}", "not_whole_fen", **where
        )
    if value < 0 or (value == 0 and not allow_zero):
        raise InterestError(
            f"{name}: must be {'zero or ' if allow_zero else ''}positive",
            "zero_or_more" if allow_zero else "more_than_zero",
            **where,
        )


def _check_date(name: str, value, *, optional: bool = False, field="", index=None) -> None:
    if value is None and optional:
        return
    if not isinstance(value, date) or isinstance(value, datetime):
        where = {"field": field or name, "index": index} if index else {"field": field or name}
        raise InterestError(f"{name}: must be a date, not {value!r}", "not_a_date", **where)


def _check_rate(value) -> Decimal:
    field = "agreed_annual_rate"
    if isinstance(value, float | bool):
        raise InterestError(
            "agreed_annual_rate: give a Decimal or text, never a float", "rate_float", field
        )
    try:
        rate = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise InterestError(
            f"agreed_annual_rate: {value!r} is not a number", "rate_not_number", field, value=value
        ) from None
    if not rate.is_finite() or rate < 0 or rate >= 100:
        raise InterestError(
            "agreed_annual_rate: must be a percent from 0 to under 100", "rate_range", field
        )
    return rate


def _clean_payments(principal: int, payments) -> list[tuple[date, int]]:
    """Sorted (date, fen) pairs; each must fit in the principal still outstanding."""
    cleaned = []
    for index, payment in enumerate(payments, start=1):
        try:
            day, fen = payment
        except (TypeError, ValueError):
            raise InterestError(
                f"payment {index}: must be a (date, fen) pair",
                "payment_pair",
                "payment",
                index=index,
            ) from None
        _check_date(f"payment {index} date", day, field="payment_date", index=index)
        _check_amount(
            f"payment {index} amount", fen, allow_zero=False, field="payment_amount", index=index
        )
        cleaned.append((day, fen))
    cleaned.sort(key=lambda pair: pair[0])
    outstanding = principal
    for day, fen in cleaned:
        if fen > outstanding:
            raise InterestError(
                f"payment of {fen} fen on {day} is more than the {outstanding} fen "
                "principal still outstanding",
                "payment_over_principal",
                "payment_amount",
                fen=fen,
                day=day,
                outstanding=outstanding,
            )
        outstanding -= fen
    return cleaned

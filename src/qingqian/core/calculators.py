"""The four public calculators, one implementation for the CLI, the pages and the API.

Each takes the caller's text parameters under one set of names (the API's
query names; the CLI's options are the same names with dashes), parses them
strictly, computes with the pure rules, and answers with the JSON the CLI's
`--json` prints. The database's LPR table and calendar come in as arguments,
so this module stays free of Django.

A parameter that cannot be used raises `InputError` naming it: `code`,
`field` and `values` let a page word it in the reader's language
(`core.messages.calculator_error_label`); the English text is the CLI's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from qingqian.core import interest, money, payment_term, sizeclass, workdays

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_COUNT = re.compile(r"\d{1,5}", re.ASCII)
_RATE = re.compile(r"\d{1,2}(\.\d+)?%?", re.ASCII)
_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?", re.ASCII)  # the rule refuses a negative
_INTEGER = re.compile(r"-?[0-9]+", re.ASCII)
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


class InputError(ValueError):
    def __init__(self, field: str, code: str, message: str, **values):
        super().__init__(f"{field}: {message}")
        self.message = message
        self.field = field
        self.code = code
        self.values = values
        self.all: tuple[InputError, ...] = (self,)  # every refusal of the same parameters


class _Checked:
    """Parses parameter by parameter and keeps every refusal, so that one answer
    names them all; `done()` raises the first, carrying the others in `all`."""

    def __init__(self):
        self.errors: list[InputError] = []

    def __call__(self, parse, *args, **kwargs):
        try:
            return parse(*args, **kwargs)
        except InputError as error:
            self.errors.append(error)
            return None

    def refuse(self, error: InputError) -> None:
        self.errors.append(error)

    def done(self) -> None:
        if self.errors:
            first = self.errors[0]
            first.all = tuple(self.errors)
            raise first


Params = Mapping[str, object]  # text values; "payment" may be a list of texts


# --- parsing, one function per kind of value -------------------------------------------------


def _text(params: Params, name: str) -> str:
    value = params.get(name)
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    return "" if value is None else str(value).strip()


def _required(params: Params, name: str) -> str:
    text = _text(params, name)
    if not text:
        raise InputError(name, "required", "this value is required")
    return text


def parse_date(text: str, field: str) -> date:
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(field, "date", f"{text!r} is not a date like 2026-09-30") from None


def _date(params: Params, name: str, *, required: bool = False) -> date | None:
    text = _required(params, name) if required else _text(params, name)
    return parse_date(text, name) if text else None


def _yuan(text: str, field: str, **values) -> int:
    try:
        return money.parse_yuan(text)
    except money.MoneyError as exc:
        raise InputError(field, "money", str(exc), money_code=exc.code, **values) from None


def _count(params: Params, name: str) -> int | None:
    text = _text(params, name)
    if not text:
        return None
    if not _COUNT.fullmatch(text):
        raise InputError(name, "count", f"{text!r} must be a whole number of days, 0 or more")
    return int(text)


def _flag(params: Params, name: str) -> bool:
    text = _text(params, name).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InputError(name, "flag", f"{text!r} must be true or false")


def _decimal(params: Params, name: str) -> Decimal | None:
    text = _text(params, name)
    if not text:
        return None
    if not _DECIMAL.fullmatch(text):
        raise InputError(name, "number", f"{text!r} is not a plain decimal number (e.g. 800.5)")
    return Decimal(text)


def _payments(params: Params) -> list[tuple[date, int]]:
    raw = params.get("payment") or []
    texts = [raw] if isinstance(raw, str) else list(raw)
    payments = []
    for index, text in enumerate((t.strip() for t in texts if t and t.strip()), start=1):
        day, sep, amount = text.partition(":")
        if not sep:
            raise InputError(
                "payment", "payment", f"{text!r} must be DATE:AMOUNT, e.g. 2025-04-10:4000.00"
            )
        payments.append((parse_date(day.strip(), "payment"), _yuan(amount, "payment", index=index)))
    return payments


# --- overdue interest ------------------------------------------------------------------------


@dataclass(frozen=True)
class InterestQuery:
    principal_fen: int
    due_date: date
    end_date: date
    payments: list[tuple[date, int]]
    agreed_annual_rate: Decimal | None
    signed_on: date | None
    from_regulations_start: bool


def parse_interest(params: Params) -> InterestQuery:
    check = _Checked()
    principal = check(_money, params, "principal")
    due = check(_date, params, "due", required=True)
    end = check(_date, params, "end", required=True)
    signed = check(_date, params, "signed")
    rate = check(_rate, params)
    payments = check(_payments, params)
    from_start = check(_flag, params, "from_regulations_start")
    if rate is not None and signed is None and not _text(params, "signed"):
        check.refuse(
            InputError(
                "signed",
                "signed_needed",
                "an agreed rate needs the contract signing date, because it may not be below "
                "the one-year LPR on that date",
            )
        )
    check.done()
    return InterestQuery(principal, due, end, payments, rate, signed, from_start)


def _money(params: Params, name: str) -> int:
    return _yuan(_required(params, name), name)


def _rate(params: Params) -> Decimal | None:
    text = _text(params, "agreed_rate")
    if not text:
        return None
    if not _RATE.fullmatch(text):
        raise InputError("agreed_rate", "rate", f"{text!r} must be an annual percent like 4.35")
    return Decimal(text.rstrip("%"))


def interest_result(query: InterestQuery, lpr_table: interest.LprTable | None):
    """`interest.InterestError` (the rule's own refusal) passes through to the caller."""
    return interest.overdue_interest(
        query.principal_fen,
        query.due_date,
        query.payments,
        query.end_date,
        agreed_annual_rate=query.agreed_annual_rate,
        signed_on=query.signed_on,
        lpr_table=lpr_table,
        accrue_from_regulations_start=query.from_regulations_start,
    )


def interest_answer(result: interest.InterestResult) -> dict:
    data = result.as_dict()
    data["total_yuan"] = money.to_yuan_str(result.total_fen)
    for period in data["periods"]:
        period["interest_yuan"] = money.to_yuan_str(period["interest_fen"])
    return data


# --- working-day deadline --------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineQuery:
    start: date
    working_days: int | None
    days: int | None
    provisional: bool


def parse_deadline(params: Params) -> DeadlineQuery:
    check = _Checked()
    start = check(_date, params, "start", required=True)
    working_days, days = check(_count, params, "working_days"), check(_count, params, "days")
    given = [name for name in ("working_days", "days") if _text(params, name)]
    if len(given) != 1:
        check.refuse(
            InputError(
                "working_days", "one_period", "give either a number of working days or of days"
            )
        )
    provisional = check(_flag, params, "provisional")
    check.done()
    return DeadlineQuery(start, working_days, days, provisional)


def deadline_result(query: DeadlineQuery, calendar: workdays.Calendar) -> workdays.Deadline:
    """`workdays.UnknownCalendarYear` passes through: the caller says which year is missing."""
    return workdays.compute_deadline(
        calendar,
        query.start,
        working_days=query.working_days,
        days=query.days,
        allow_provisional=query.provisional,
    )


# --- size self-test --------------------------------------------------------------------------


@dataclass(frozen=True)
class SizeQuery:
    industry: str
    staff: int | None
    revenue: Decimal | None
    assets: Decimal | None
    on_date: date


def parse_size(params: Params, today: date) -> SizeQuery:
    check = _Checked()
    industry = check(_required, params, "industry")
    staff = check(_integer, params, "staff")
    revenue, assets = check(_decimal, params, "revenue"), check(_decimal, params, "assets")
    on_date = check(_date, params, "date")
    check.done()
    return SizeQuery(industry, staff, revenue, assets, on_date or today)


def _integer(params: Params, name: str) -> int | None:
    text = _text(params, name)
    if text and not _INTEGER.fullmatch(text):
        raise InputError(name, "whole", f"{text!r} is not a whole number")
    return int(text) if text else None


def size_result(query: SizeQuery) -> sizeclass.Classification:
    """`sizeclass.SizeClassError` passes through (its code names what is missing)."""
    return sizeclass.classify(
        query.industry, query.staff, query.revenue, query.assets, query.on_date
    )


def size_answer(result: sizeclass.Classification) -> dict:
    return {
        "size": result.size,
        "reason": result.reason,
        "standard": result.standard,
        "industry": result.industry,
        "steps": [step.as_dict() for step in result.steps],
    }


# --- payment term ----------------------------------------------------------------------------


def parse_payment_term(params: Params) -> payment_term.ContractFacts:
    check = _Checked()
    buyer = check(_buyer_type, params)
    signed = check(_date, params, "signed", required=True)
    dates = {name: check(_date, params, name) for name in TERM_DATES}
    agreed = check(_count, params, "agreed_days")
    third_party = check(_flag, params, "third_party")
    check.done()
    return payment_term.ContractFacts(
        buyer_type=buyer,
        signed_on=signed,
        delivered_on=dates["delivered"],
        accepted_on=dates["accepted"],
        acceptance_period_ends_on=dates["acceptance_ends"],
        settled_on=dates["settled"],
        agreed_days=agreed,
        conditional_on_third_party=third_party,
    )


TERM_DATES = ("delivered", "accepted", "acceptance_ends", "settled")


def _buyer_type(params: Params) -> str:
    buyer = _required(params, "buyer_type")
    if buyer not in payment_term.BUYER_TYPES:
        raise InputError(
            "buyer_type", "choice", f"{buyer!r} is not one of {', '.join(payment_term.BUYER_TYPES)}"
        )
    return buyer


def payment_term_result(facts: payment_term.ContractFacts, calendar: workdays.Calendar):
    """`payment_term.PaymentTermError` passes through, naming its field."""
    return payment_term.payment_term(facts, calendar)

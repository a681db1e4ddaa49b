"""The four calculators as the pages and the public API call them.

Each function takes the request's text parameters, answers with the rule's
result and the JSON the CLI's `--json` prints (both from `core.calculators`),
or raises `Refused` with a message per parameter in the reader's language.
The database's LPR table and working-day calendar are read here, once per
answer.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.core import calculators, interest, payment_term, sizeclass, workdays
from qingqian.core.messages import SIZE_ERRORS, SIZE_MEASURES, interest_error_label
from qingqian.core.selectors import load_calendar, load_lpr_table
from qingqian.services.calculators.labels import input_error_text

# The interest rule names its fields by its own arguments; the pages by the parameters.
INTEREST_FIELDS = {
    "principal_fen": "principal",
    "due_date": "due",
    "end_date": "end",
    "signed_on": "signed",
    "agreed_annual_rate": "agreed_rate",
}


class Refused(Exception):
    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors  # parameter name ("" for none) -> message


@dataclass(frozen=True)
class Answer:
    query: object  # the parsed parameters
    result: object  # the rule's own result, for the page to lay out
    data: dict  # the JSON of the CLI's --json and the API


@contextmanager
def _refusals() -> Iterator[None]:
    """Every refusal of the parsers and the rules, as `Refused` naming its parameter."""
    try:
        yield
    except calculators.InputError as error:
        errors = {}
        for each in error.all:
            errors.setdefault(each.field, input_error_text(each))
        raise Refused(errors) from error
    except payment_term.PaymentTermError as error:
        raise Refused({error.field: input_error_text(error)}) from error
    except interest.InterestError as error:
        field = INTEREST_FIELDS.get(error.field, "payment" if "payment" in error.field else "")
        raise Refused({field: interest_error_label(error)}) from error
    except sizeclass.SizeClassError as error:
        raise Refused({_size_field(error): _size_text(error)}) from error
    except workdays.UnknownCalendarYear as error:
        text = _(
            "The working-day schedule for %(year)s is not entered yet: tick the provisional "
            "count to count weekends and the statutory holidays only."
        ) % {"year": error.year}
        raise Refused({"start": text}) from error


def query_params(query) -> dict:
    """A request's query as the calculators' parameters: `payment` may repeat, and
    the page's payments box holds one payment a line."""
    params = {name: query.get(name, "") for name in query}
    lines = [line for text in query.getlist("payment") for line in text.splitlines()]
    params["payment"] = [line for line in lines if line.strip()]
    return params


def interest_answer(params: Mapping) -> Answer:
    with _refusals():
        query = calculators.parse_interest(params)
        lpr_table = load_lpr_table() if query.agreed_annual_rate is not None else None
        result = calculators.interest_result(query, lpr_table)
    return Answer(query, result, calculators.interest_answer(result))


def deadline_answer(params: Mapping) -> Answer:
    with _refusals():
        query = calculators.parse_deadline(params)
        result = calculators.deadline_result(query, load_calendar())
    return Answer(query, result, result.as_dict())


def size_answer(params: Mapping) -> Answer:
    with _refusals():
        query = calculators.parse_size(params, timezone.localdate())
        result = calculators.size_result(query)
    return Answer(query, result, calculators.size_answer(result))


def payment_term_answer(params: Mapping) -> Answer:
    with _refusals():
        facts = calculators.parse_payment_term(params)
        result = calculators.payment_term_result(facts, load_calendar())
    return Answer(facts, result, result.as_dict())


def _size_field(error: sizeclass.SizeClassError) -> str:
    if error.measure:
        return error.measure
    return "date" if error.code == "no_standard" else "industry"


def _size_text(error: sizeclass.SizeClassError) -> str:
    if error.code == "negative":
        return _("A figure cannot be negative.")
    if error.code == "unknown_industry":
        return _("Choose an industry from the list.")
    template = SIZE_ERRORS.get(error.code)
    if template is None:
        return error.message
    return str(template) % {"measure": SIZE_MEASURES.get(error.measure or "", "")}

"""The public calculators through the API (/api/v1/public/interest/ and the others).

The same parameters as the calculator pages and the CLI's options (with
underscores), the same JSON as the CLI's `--json`: the three answer through
`core.calculators`. A refusal is a 400 naming each parameter at fault.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response

from qingqian.api.public import PublicView, errors
from qingqian.services.calculators import answers

TAG = "public"


def _param(name: str, description: str, *, required: bool = False, many: bool = False):
    return OpenApiParameter(
        name,
        OpenApiTypes.STR,
        required=required,
        many=many,
        explode=True if many else None,
        description=description,
    )


def _answered(answer, request) -> Response:
    try:
        return Response(answer(answers.query_params(request.query_params)).data)
    except answers.Refused as refusal:
        raise exceptions.ValidationError(
            {field or "non_field_errors": [text] for field, text in refusal.errors.items()}
        ) from refusal


def _doc(summary: str, parameters: list, example: str):
    return extend_schema(
        tags=[TAG],
        summary=summary,
        parameters=parameters,
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description=example),
            **errors(400, 429),
        },
    )


class InterestView(PublicView):
    @_doc(
        "Overdue interest as of a date (Regulations 2020 Art. 15 / 2025 Art. 17)",
        [
            _param("principal", "The amount owed, in yuan (e.g. 100000.00).", required=True),
            _param("due", "The payment due date, YYYY-MM-DD.", required=True),
            _param("end", "Count interest up to and including this date.", required=True),
            _param("agreed_rate", "The agreed annual rate in percent (e.g. 4.35)."),
            _param("signed", "The contract signing date (needed with agreed_rate)."),
            _param("payment", "A payment, DATE:AMOUNT (e.g. 2025-04-10:4000.00).", many=True),
            _param("from_regulations_start", "true: accrue from 2020-09-01 at the earliest."),
        ],
        "`total_yuan`, `total_fen`, `basis` (kind, explanation, rates), `periods` "
        "(from, to, days, principal_fen, interest_yuan), `warnings`.",
    )
    def get(self, request):
        return _answered(answers.interest_answer, request)


class DeadlineView(PublicView):
    @_doc(
        "The date N working days or N calendar days after a date",
        [
            _param(
                "start",
                "The trigger date, YYYY-MM-DD (counting starts the next day).",
                required=True,
            ),
            _param("working_days", "A number of working days (or give days)."),
            _param("days", "A number of calendar days (or give working_days)."),
            _param("provisional", "true: count a year with no schedule provisionally."),
        ],
        "`date`, `rule` (the rule applied, Civil Code Art. 201/203), `provisional`, "
        "`missing_years`.",
    )
    def get(self, request):
        return _answered(answers.deadline_answer, request)


class SizeView(PublicView):
    @_doc(
        "The size class under the SME size standard (工信部联企业〔2011〕300号)",
        [
            _param(
                "industry",
                "The industry id (see `qingqian size --list-industries`).",
                required=True,
            ),
            _param("staff", "Staff, persons."),
            _param("revenue", "Revenue, in 10,000 yuan."),
            _param("assets", "Total assets, in 10,000 yuan."),
            _param("date", "As of, YYYY-MM-DD (default: today); use the signing date."),
        ],
        "`size` (large, medium, small, micro), `reason`, `standard`, `industry`, `steps`.",
    )
    def get(self, request):
        return _answered(answers.size_answer, request)


class PaymentTermView(PublicView):
    @_doc(
        "The latest lawful payment date under the Regulations in force at signing",
        [
            _param("buyer_type", "agency, institution or large.", required=True),
            _param("signed", "The contract signing date, YYYY-MM-DD.", required=True),
            _param("delivered", "The delivery date."),
            _param("accepted", "The date inspection or acceptance passed."),
            _param("acceptance_ends", "The end of the agreed acceptance period."),
            _param("settled", "The date both parties confirmed the settlement amount."),
            _param("agreed_days", "The agreed payment term, in days."),
            _param("third_party", "true: payment was made conditional on a third party paying."),
        ],
        "`due_date` (null where the text sets no number), `rule`, `version`, `decree`, "
        "`starts_from`, `statutory_days`, `max_days`, `term_days`, `agreed_term_lawful`, "
        "`articles`, `notes`.",
    )
    def get(self, request):
        return _answered(answers.payment_term_answer, request)

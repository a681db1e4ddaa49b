"""Dashboard figures over the API: `/api/v1/stats/` (the whole dashboard of a
jurisdiction and period), `/api/v1/stats/facts/` (the rows behind a figure)
and `/api/v1/stats/laggards/` (what the rules flag). Same selectors, same
scope and the same numbers as the web pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from qingqian.api.common import run_service
from qingqian.api.serializers import Serializer, error_responses, paged, read_query
from qingqian.core.queries import MAX_ID
from qingqian.supervision.dashboard import laggards, tables
from qingqian.supervision.dashboard import selectors as dashboard
from qingqian.supervision.periods import Jurisdiction, Period

TAGS = ["stats"]
ERROR_TEXT = {
    403: "Figures are for officials of an SME authority.",
    404: "That region is outside your jurisdiction.",
}


def errors(*codes: int) -> dict:
    return error_responses(*codes, texts=ERROR_TEXT)


MONTH = r"^\d{4}-\d{2}$"


class StatsQuery(Serializer):
    region = serializers.RegexField(
        r"^(\d{2}|\d{4}|\d{6})?$",
        required=False,
        allow_blank=True,
        help_text="'' (your own jurisdiction), a province '44' or a city '4401'",
    )
    start = serializers.RegexField(MONTH, required=False, help_text="first month, YYYY-MM")
    end = serializers.RegexField(MONTH, required=False, help_text="last month, YYYY-MM")

    def to_internal_value(self, data):
        data = data.copy()
        for api_name, name in (("from", "start"), ("to", "end")):
            if api_name in data:
                data[name] = data[api_name]
        return super().to_internal_value(data)


class FactsQuery(StatsQuery):
    measure = serializers.ChoiceField(choices=dashboard.MEASURES)
    debtor_type = serializers.ChoiceField(
        choices=[t.value for t in dashboard.DEBTOR_TYPES], required=False
    )
    department = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    stage = serializers.ChoiceField(choices=dashboard.OVERDUE_STAGES, required=False)


def plain(value):
    """Figures as JSON: rates as numbers, dates as ISO strings, the rest as is."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Jurisdiction):
        return {
            "code": value.code,
            "prefix": value.prefix,
            "name": value.name,
            "level": value.level,
        }
    if isinstance(value, Period):
        return value.as_params()
    return value


class StatsView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="stats_dashboard",
        parameters=[StatsQuery(partial=True)],
        responses={200: OpenApiTypes.OBJECT, **errors(400, 401, 403, 404)},
        description="Headline figures, on-time rates, overdue now, handling time, the "
        "ledger's clear-to-zero figures and breakdowns by region, debtor type, department "
        "and month. Money in fen; rates in percent (null when there is nothing to rate).",
    )
    def get(self, request):
        query = read_query(request, StatsQuery)
        figures = run_service(
            dashboard.dashboard,
            actor=request.user,
            region=query.get("region", ""),
            start=query.get("start", ""),
            end=query.get("end", ""),
        )
        return Response(plain(figures))


class FactsView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="stats_facts",
        parameters=[FactsQuery(partial=True)],
        responses={200: OpenApiTypes.OBJECT, **errors(400, 401, 403, 404)},
        description="The complaint events or deadlines a figure counts, 50 per page.",
    )
    def get(self, request):
        query = read_query(request, FactsQuery)
        rows = run_service(
            dashboard.facts_behind,
            actor=request.user,
            measure=query["measure"],
            region=query.get("region", ""),
            start=query.get("start", ""),
            end=query.get("end", ""),
            debtor_type=query.get("debtor_type", ""),
            department=query.get("department"),
            stage=query.get("stage", ""),
        )
        return paged(request, self, rows, fact)


def fact(row) -> dict:
    complaint = {"id": row.complaint_id, "tracking_number": row.complaint.tracking_number}
    if hasattr(row, "action"):
        return {
            "complaint": complaint,
            "kind": "event",
            "action": row.action,
            "day": plain(row.day),
            "department": row.department_id,
        }
    return {
        "complaint": complaint,
        "kind": "deadline",
        "stage": row.stage,
        "status": row.status,
        "due_on": plain(row.due_on),
        "ended_on": plain(row.ended_on),
        "organisation": row.organisation_id,
    }


class LaggardsView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="stats_laggards",
        parameters=[StatsQuery(partial=True)],
        responses={200: OpenApiTypes.OBJECT, **errors(400, 401, 403, 404)},
        description="The jurisdictions and departments the active laggard rules flag.",
    )
    def get(self, request):
        query = read_query(request, StatsQuery)
        flags = run_service(laggards.laggards, actor=request.user, region=query.get("region", ""))
        return Response(
            {
                "results": [
                    {
                        "subject": flag.subject,
                        "code": flag.code,
                        "name": flag.name,
                        "department": flag.department_id,
                        "rule": {
                            "id": flag.rule.pk,
                            "kind": flag.rule.kind,
                            "level": flag.rule.level,
                            "stage": flag.rule.stage,
                            "text": tables.rule_text(flag.rule),
                            "threshold": float(flag.rule.threshold),
                        },
                        "value": plain(flag.value),
                    }
                    for flag in flags
                ]
            }
        )


urlpatterns = [
    path("stats/", StatsView.as_view(), name="api-stats"),
    path("stats/facts/", FactsView.as_view(), name="api-stats-facts"),
    path("stats/laggards/", LaggardsView.as_view(), name="api-stats-laggards"),
]

"""The periodic information reports (信息报送) over the API: its own resource.

Thin like the cases API: serializers check types and ranges, services decide
and write, selectors scope every read (a report out of scope is a 404 before
anything else). A refusal by the report's state (already submitted) or version
is a 409. Values are integers: counts, or amounts in fen for the keys ending
in `_fen`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from qingqian.api.common import ActionView, acts_documented, enum
from qingqian.api.filtering import PAGE_PARAMETERS, filter_parameters, filtered
from qingqian.api.serializers import (
    OutputSerializer,
    Serializer,
    error_responses,
    paged,
    read_query,
)
from qingqian.api.supervision.serializers import version_field
from qingqian.core.region_selectors import region_name
from qingqian.supervision.models import ProvincialReport
from qingqian.supervision.reports import selectors, services
from qingqian.supervision.reports.filters import ReportFilter

TAGS = ["supervision reports"]
REPORT_FILTERS = {
    "definition": "A report definition's code.",
    "period": "The period's first day.",
    "state": "The report's state.",
}
ERROR_TEXT = {
    400: "Invalid: `fields` names each problem.",
    401: "Not signed in.",
    403: "In your scope, but you may not do this (reports are for officials of SME "
    "authorities; the national aggregate for the national level).",
    404: "No such report (or report definition) in your scope.",
    409: "The report is submitted already (`conflict`), or it changed meanwhile (`stale`).",
}


def errors(*codes: int) -> dict:
    return error_responses(*codes, texts=ERROR_TEXT)


def state_field(**kwargs):
    return enum("ProvincialReportStateEnum", ProvincialReport.State, **kwargs)


# --- input -----------------------------------------------------------------------------------


class NationalInput(Serializer):
    definition = serializers.SlugField(max_length=40, help_text="A report definition's code.")
    period = serializers.DateField(help_text="The period's first day (YYYY-MM-DD).")


class ValueInput(Serializer):
    key = serializers.CharField(max_length=40, help_text="The figure's key.")
    value = serializers.IntegerField(
        min_value=0,
        max_value=services.MAX_VALUE - 1,
        help_text="A count, or an amount in fen for keys ending in `_fen`.",
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=services.MAX_REASON,
        help_text="Required when the value differs from the prefilled one "
        "(not for a figure entered by hand).",
    )
    version = version_field("report")


class ReportSubmitInput(Serializer):
    version = version_field("report")


# --- output ----------------------------------------------------------------------------------


class ValueOutput(Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = enum("ReportFigureKindEnum", ["count", "money"])
    prefilled = serializers.IntegerField(
        allow_null=True,
        help_text="Null where the platform holds no records for the unit "
        "(a platform-defined unit): its figures are entered by hand.",
    )
    value = serializers.IntegerField(allow_null=True, help_text="Null until entered.")
    reason = serializers.CharField(allow_blank=True)
    changed = serializers.BooleanField()


class ReportSummary(OutputSerializer):
    state = state_field(read_only=True)
    definition = serializers.SlugRelatedField(slug_field="code", read_only=True)
    definition_name = serializers.CharField(source="definition.name", read_only=True)
    province_name = serializers.SerializerMethodField()
    organisation = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = ProvincialReport
        fields = [
            "id",
            "definition",
            "definition_name",
            "period_start",
            "period_end",
            "province_code",
            "province_name",
            "organisation",
            "state",
            "due_on",
            "due_provisional",
            "submitted_at",
            "version",
        ]
        read_only_fields = fields

    def get_province_name(self, report) -> str:
        return region_name(report.province_code) or ""


class ReportOutput(ReportSummary):
    values = serializers.SerializerMethodField()
    late = serializers.SerializerMethodField()

    class Meta(ReportSummary.Meta):
        fields = [*ReportSummary.Meta.fields, "due_rule", "late", "values"]
        read_only_fields = fields

    def get_late(self, report) -> bool:
        return selectors.is_late(report, self.context["today"])

    @extend_schema_field(ValueOutput(many=True))
    def get_values(self, report) -> list[dict]:
        return ValueOutput(selectors.report_values(report), many=True).data


class ReportPage(Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ReportSummary(many=True)


class NationalRow(Serializer):
    id = serializers.IntegerField()
    province_code = serializers.CharField()
    name = serializers.CharField()
    organisation = serializers.CharField()
    state = state_field()
    due_on = serializers.DateField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    late = serializers.BooleanField()
    submitted_late = serializers.BooleanField()
    values = serializers.DictField(child=serializers.IntegerField(allow_null=True))
    changed = serializers.ListField(child=serializers.CharField())


class NationalCounts(Serializer):
    expected = serializers.IntegerField()
    submitted = serializers.IntegerField()
    late = serializers.IntegerField()


class NationalFigure(Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = enum("ReportFigureKindEnum", ["count", "money"])


class NationalOutput(Serializer):
    definition = serializers.CharField()
    definition_name = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    figures = NationalFigure(many=True)
    rows = NationalRow(many=True)
    totals = serializers.DictField(
        child=serializers.IntegerField(), help_text="Sums over the submitted reports only."
    )
    counts = NationalCounts()


def national_data(aggregate: dict) -> dict:
    keys = aggregate["keys"]
    return {
        "definition": aggregate["definition"].code,
        "definition_name": aggregate["definition"].name,
        "period_start": aggregate["period_start"],
        "period_end": aggregate["period_end"],
        "figures": [
            {"key": key, "label": label, "kind": kind}
            for key, label, kind in zip(keys, aggregate["labels"], aggregate["kinds"], strict=True)
        ],
        "rows": [
            {
                **{name: row[name] for name in NationalRow().fields if name != "values"},
                "values": dict(zip(keys, row["values"], strict=True)),
            }
            for row in aggregate["rows"]
        ],
        "totals": dict(zip(keys, aggregate["totals"], strict=True)),
        "counts": aggregate["counts"],
    }


# --- views -----------------------------------------------------------------------------------


def report_detail(request, report: ProvincialReport) -> Response:
    report.refresh_from_db()
    return Response(ReportOutput(report, context={"today": _today()}).data)


def _today():
    return timezone.localdate()


def _require_viewer(actor) -> None:
    if not selectors.may_view_reports(actor):
        raise PermissionDenied(_("Reports are for officials of an SME authority."))


class ReportListView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="supervision_report_list",
        parameters=[*filter_parameters(ReportFilter, REPORT_FILTERS), *PAGE_PARAMETERS],
        responses={200: ReportPage, **errors(400, 401, 403, 404)},
        description="The provincial reports in your scope, newest period first: national "
        "officials see every province's, provincial and city officials their province's.",
    )
    def get(self, request):
        _require_viewer(request.user)
        reports = filtered(request, ReportFilter, selectors.report_list(actor=request.user))
        return paged(request, self, reports, ReportSummary)


class ReportDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="supervision_report_get",
        responses={200: ReportOutput, **errors(401, 404)},
        description="One report with its figures: prefilled by the platform, as reported, "
        "and the reason of each change.",
    )
    def get(self, request, pk):
        return report_detail(request, selectors.report_get(actor=request.user, pk=pk))


class ReportActView(ActionView):
    # An act on a report in the actor's scope, answered with the report as it is now.
    target = "report"
    refuses_unknown_fields = True
    output_class = ReportOutput

    def find(self, actor, pk: int):
        return selectors.report_get(actor=actor, pk=pk)

    def respond(self, request, record, result):
        return report_detail(request, record)


# What each act does, as the schema tells it, by operation id.
ACTS = {
    "supervision_report_value": "The province's SME authority (or the national "
    "administrator) reports one figure of a draft report. A value other than the prefilled "
    "one needs a `reason`; the prefilled value again clears it.",
    "supervision_report_submit": "The province's SME authority (or the national "
    "administrator) submits a draft report; its figures can no longer change. A report "
    "with a figure not entered yet is refused (400, `values`).",
}

act = acts_documented(errors, TAGS, ACTS)


@act("supervision_report_value")
class ReportValueView(ReportActView):
    input_class, service = ValueInput, staticmethod(services.report_set_value)


@act("supervision_report_submit")
class ReportSubmitView(ReportActView):
    input_class, service = ReportSubmitInput, staticmethod(services.report_submit)


class NationalView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="supervision_report_national",
        parameters=[NationalInput],
        responses={200: NationalOutput, **errors(400, 401, 403, 404)},
        description="National level only: every province's report of one definition and "
        "period, who is late, and the totals of the submitted reports.",
    )
    def get(self, request):
        query = read_query(request, NationalInput)
        if not selectors.sees_nation(request.user):
            raise PermissionDenied(_("The national aggregate is for the national level."))
        definition = selectors.definition_get(code=query["definition"])
        aggregate = selectors.national_aggregate(
            actor=request.user, definition=definition, period_start=query["period"]
        )
        return Response(NationalOutput(national_data(aggregate)).data)


def _path(route: str, view, name: str):
    return path(route, view.as_view(), name=f"api-supervision-{name}")


urlpatterns: list = [
    _path("supervision/reports/", ReportListView, "report-list"),
    _path("supervision/reports/national/", NationalView, "report-national"),
    _path("supervision/reports/<int:pk>/", ReportDetailView, "report"),
    _path("supervision/reports/<int:pk>/values/", ReportValueView, "report-values"),
    _path("supervision/reports/<int:pk>/submit/", ReportSubmitView, "report-submit"),
]

"""Totals of the ledger (for the filters given, and province × status), and the
export of the filtered items."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from qingqian.api.common import JsonErrorsOnly, enum
from qingqian.api.ledger.filters import ExportFormatInput, LedgerFilterParameters, read_filters
from qingqian.api.ledger.shared import TAGS, SumYuanField, errors
from qingqian.api.serializers import Serializer
from qingqian.ledger import exports, selectors
from qingqian.ledger.models import Status

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TotalsOutput(Serializer):
    """The ledger's figures, as `ledger.figures` defines them (and the user guide states)."""

    items = serializers.IntegerField(help_text="Every item, whatever its status.")
    owed = SumYuanField(source="owed_fen")
    written_off = SumYuanField(
        source="written_off_fen", help_text="Disputed amounts decided for the debtor."
    )
    identified = SumYuanField(source="identified_fen", help_text="Owed less written off.")
    paid = SumYuanField(source="paid_fen")
    disputed = SumYuanField(source="disputed_fen")
    outstanding = SumYuanField(source="outstanding_fen", help_text="Identified less paid.")
    undisputed_outstanding = SumYuanField(
        source="undisputed_outstanding_fen", help_text="Outstanding less disputed: due now."
    )
    legal_route = SumYuanField(
        source="legal_route_fen",
        help_text="The disputed amount of items with a pending proceeding.",
    )


class ProvinceTotalsOutput(Serializer):
    province_code = serializers.CharField()
    status = enum("LedgerStatusEnum", Status)
    totals = TotalsOutput()


class LedgerTotalsOutput(Serializer):
    totals = TotalsOutput(help_text="For the filters given.")
    by_province = ProvinceTotalsOutput(
        many=True, help_text="Province × status over your whole scope (officials only)."
    )


class LedgerTotalsView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="ledger_totals",
        parameters=[LedgerFilterParameters],
        responses={200: LedgerTotalsOutput, **errors(400, 401)},
    )
    def get(self, request):
        filters, _rest = read_filters(request)
        body = {
            "totals": selectors.ledger_totals(actor=request.user, filters=filters),
            "by_province": selectors.totals_by_province(actor=request.user),
        }
        return Response(LedgerTotalsOutput(body).data)


class LedgerExportView(APIView):
    content_negotiation_class = JsonErrorsOnly

    @extend_schema(
        tags=TAGS,
        operation_id="ledger_export",
        parameters=[LedgerFilterParameters, ExportFormatInput],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, XLSX): OpenApiTypes.BINARY,
            **errors(400, 401),
        },
        description="The filtered items in the import template's columns plus status and "
        "outstanding; text that a spreadsheet would run as a formula starts with '.",
    )
    def get(self, request):
        filters, query = read_filters(request, ExportFormatInput)
        items = selectors.ledger_items(actor=request.user, filters=filters)
        response = exports.ledger_export(items, query["format"])
        if query["format"] == "xlsx":
            response["Content-Type"] = XLSX
        return response

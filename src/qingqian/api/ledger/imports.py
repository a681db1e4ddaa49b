"""Bulk imports of ledger returns: uploading one (queued, all or nothing), following
it, and the bad cells of a refused one."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from qingqian.accounts.permissions import Perm, has_perm
from qingqian.api.common import JsonErrorsOnly, enum, run_service
from qingqian.api.complaints.serializers import OrganisationBrief
from qingqian.api.filtering import PAGE_PARAMETERS
from qingqian.api.ledger.shared import TAGS, errors, keeping_organisation, owner_id
from qingqian.api.serializers import (
    OutputSerializer,
    Serializer,
    page_of,
    paged,
    read_query,
)
from qingqian.core import downloads
from qingqian.core.downloads import file_response
from qingqian.core.queue import enqueue_with_change
from qingqian.ledger import imports, selectors
from qingqian.ledger.imports import read_progress
from qingqian.ledger.models import LedgerImport, LedgerImportError
from qingqian.ledger.tasks import ledger_import_task
from qingqian.ledger.writers import error_report_csv

# --- shapes -----------------------------------------------------------------------


class ImportUpload(Serializer):
    file = serializers.FileField(
        help_text="A ledger return (CSV or XLSX) in the import template's columns."
    )
    owner = owner_id()


class ImportErrorsInput(Serializer):
    format = enum("LedgerImportErrorsFormatEnum", ["json", "csv"], required=False, default="json")


class ImportProgressOutput(Serializer):
    fraction = serializers.FloatField(help_text="0 to 1.")
    rows = serializers.IntegerField(help_text="Rows read so far.")


class LedgerImportOutput(OutputSerializer):
    """An uploaded ledger return and what became of it."""

    owner = OrganisationBrief(read_only=True)
    state = enum("LedgerImportStateEnum", LedgerImport.State, read_only=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = LedgerImport
        fields = [
            "id",
            "owner",
            "original_name",
            "size",
            "sha256",
            "state",
            "progress",
            "rows_read",
            "created_count",
            "updated_count",
            "unchanged_count",
            "error_count",
            "message",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ImportProgressOutput)
    def get_progress(self, record: LedgerImport):
        return ImportProgressOutput(read_progress(record)).data


class LedgerImportErrorOutput(OutputSerializer):
    """One bad cell of a refused import (row 1 is the header)."""

    class Meta:
        model = LedgerImportError
        fields = ["row", "column", "value", "reason"]
        read_only_fields = fields


LedgerImportPage = page_of(LedgerImportOutput, "LedgerImportPage")
LedgerImportErrorPage = page_of(LedgerImportErrorOutput, "LedgerImportErrorPage")

# --- views ------------------------------------------------------------------------


class LedgerImportListView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS,
        operation_id="ledger_import_list",
        parameters=PAGE_PARAMETERS,
        responses={200: LedgerImportPage, **errors(401, 404)},
    )
    def get(self, request):
        records = selectors.ledger_imports(actor=request.user).select_related("owner")
        return paged(request, self, records, LedgerImportOutput)

    @extend_schema(
        tags=TAGS,
        operation_id="ledger_import_upload",
        request={"multipart/form-data": ImportUpload},
        responses={202: LedgerImportOutput, **errors(400, 401, 403)},
        description="Stores the return and queues its import (all or nothing); follow it "
        "at `ledger/imports/{id}/`.",
    )
    def post(self, request):
        actor = request.user
        if not has_perm(actor, Perm.LEDGER_KEEP):
            raise PermissionDenied(_("You may not import ledgers."))
        data = ImportUpload(data=request.data)
        data.is_valid(raise_exception=True)
        owner = keeping_organisation(actor, data.validated_data.get("owner"))
        upload = data.validated_data["file"]
        with transaction.atomic():
            record = run_service(
                imports.ledger_import_upload,
                actor=actor,
                owner=owner,
                fileobj=upload,
                original_name=upload.name or "upload",
            )
            enqueue_with_change(ledger_import_task, record.pk)
        return Response(LedgerImportOutput(record).data, status=status.HTTP_202_ACCEPTED)


class LedgerImportDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="ledger_import_get",
        responses={200: LedgerImportOutput, **errors(401, 404)},
    )
    def get(self, request, pk):
        record = selectors.ledger_import_get(actor=request.user, pk=pk)
        return Response(LedgerImportOutput(record).data)


class LedgerImportErrorsView(APIView):
    content_negotiation_class = JsonErrorsOnly

    @extend_schema(
        tags=TAGS,
        operation_id="ledger_import_errors",
        parameters=[ImportErrorsInput, *PAGE_PARAMETERS],
        responses={
            (200, "application/json"): LedgerImportErrorPage,
            (200, "text/csv"): OpenApiTypes.BINARY,
            **errors(400, 401, 404),
        },
        description="The bad cells of a refused import: JSON pages, or with `format=csv` "
        "the whole report as CSV.",
    )
    def get(self, request, pk):
        record = selectors.ledger_import_get(actor=request.user, pk=pk)
        data = read_query(request, ImportErrorsInput)
        bad_cells = record.errors.all()
        if data["format"] == "csv":
            return file_response(
                error_report_csv(bad_cells.iterator(chunk_size=2000)),
                filename=f"ledger-import-{record.pk}-errors.csv",
                content_type=downloads.CSV,
            )
        return paged(request, self, bad_cells, LedgerImportErrorOutput)

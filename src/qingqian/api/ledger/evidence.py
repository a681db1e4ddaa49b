"""Evidence files of a ledger item: the list, adding one (backing a payment or what
the debtor said), and downloading one."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from qingqian.api.common import JsonErrorsOnly, evidence_download, run_service, uploaded
from qingqian.api.ledger.shared import TAGS, errors
from qingqian.api.serializers import OutputSerializer, Serializer
from qingqian.core import evidence_files
from qingqian.ledger import selectors, services
from qingqian.ledger.models import LedgerEvidence

# --- shapes -----------------------------------------------------------------------


class LedgerEvidenceOutput(OutputSerializer):
    payment = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    confirmation = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = LedgerEvidence
        fields = [
            "id",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
            "payment",
            "confirmation",
        ]
        read_only_fields = fields


class LedgerEvidenceUpload(Serializer):
    file = serializers.FileField(allow_empty_file=True)
    payment = serializers.IntegerField(
        required=False, help_text="The payment of this item the file backs."
    )
    confirmation = serializers.IntegerField(
        required=False, help_text="The confirmation or dispute of this item the file backs."
    )


def attached(records, pk, field: str):
    """The item's record that a file backs, if one is named."""
    if pk is None:
        return None
    record = records.filter(pk=pk).first()
    if record is None:
        raise exceptions.ValidationError({field: [_("This item has no such record.")]})
    return record


# --- views ------------------------------------------------------------------------


class LedgerEvidenceListView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS,
        operation_id="ledger_evidence_list",
        responses={200: LedgerEvidenceOutput(many=True), **errors(401, 404)},
    )
    def get(self, request, pk):
        item = selectors.ledger_item_get(actor=request.user, pk=pk)
        return Response(LedgerEvidenceOutput(item.evidence.all(), many=True).data)

    @extend_schema(
        tags=TAGS,
        operation_id="ledger_evidence_add",
        request={"multipart/form-data": LedgerEvidenceUpload},
        responses={201: LedgerEvidenceOutput, **errors(400, 401, 403, 404)},
        description="A file backing a payment or what the debtor said (PDF, JPEG, PNG, OFD, "
        "XLSX or DOCX, checked by content).",
    )
    def post(self, request, pk):
        item = selectors.ledger_item_get(actor=request.user, pk=pk)
        data = LedgerEvidenceUpload(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        name, content = uploaded(fields["file"])
        evidence = run_service(
            services.ledger_evidence_add,
            actor=request.user,
            item=item,
            name=name,
            data=content,
            payment=attached(item.payments, fields.get("payment"), "payment"),
            confirmation=attached(item.confirmations, fields.get("confirmation"), "confirmation"),
        )
        return Response(LedgerEvidenceOutput(evidence).data, status=status.HTTP_201_CREATED)


class LedgerEvidenceDownloadView(APIView):
    content_negotiation_class = JsonErrorsOnly

    @extend_schema(
        tags=TAGS,
        operation_id="ledger_evidence_download",
        responses={
            **{(200, kind): OpenApiTypes.BINARY for kind in evidence_files.ALLOWED_TYPES},
            **errors(401, 404),
        },
    )
    def get(self, request, pk, eid):
        item = selectors.ledger_item_get(actor=request.user, pk=pk)
        return evidence_download(get_object_or_404(item.evidence, pk=eid))

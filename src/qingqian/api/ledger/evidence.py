"""Evidence files of a ledger item: the list, adding one (backing a payment or what
the debtor said), and downloading one."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers

from qingqian.api.evidence import EvidenceOf, evidence_views
from qingqian.api.ledger.shared import TAGS, errors
from qingqian.api.serializers import OutputSerializer, Serializer
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


class ItemEvidence(EvidenceOf):
    target = "item"
    output_class, upload_class = LedgerEvidenceOutput, LedgerEvidenceUpload
    service = staticmethod(services.ledger_evidence_add)

    def find(self, actor, pk: int):
        return selectors.ledger_item_get(actor=actor, pk=pk)

    def attachments(self, item, data: dict) -> dict:
        return {
            "payment": attached(item.payments, data.get("payment"), "payment"),
            "confirmation": attached(item.confirmations, data.get("confirmation"), "confirmation"),
        }


LedgerEvidenceListView, LedgerEvidenceDownloadView = evidence_views(
    ItemEvidence,
    "ledger",
    errors,
    TAGS,
    add_description="A file backing a payment or what the debtor said (PDF, JPEG, PNG, OFD, "
    "XLSX or DOCX, checked by content).",
)

"""Evidence files backing an item's payments and confirmations."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from qingqian.core import audit
from qingqian.core.evidence_files import (
    checked_content_type,
    evidence_payload,
    max_total_bytes,
    stored_evidence,
)
from qingqian.ledger import verbs
from qingqian.ledger.models import LedgerEvidence, LedgerItem
from qingqian.ledger.permissions import require_answerer
from qingqian.ledger.services.common import acting_user, require_act


@transaction.atomic
def ledger_evidence_add(
    *, actor, item: LedgerItem, name: str, data: bytes, payment=None, confirmation=None
) -> LedgerEvidence:
    """A file backing a payment or a confirmation (checked by content, stored
    outside the web root, its SHA-256 in the audit event)."""
    require_answerer(actor, item)
    require_act(item, "evidence_add")
    for attached in (payment, confirmation):
        if attached is not None and attached.item_id != item.pk:
            raise ValidationError({"file": _("The file must belong to this item.")})
    content_type = checked_content_type(data)
    used = item.evidence.aggregate(total=Sum("size"))["total"] or 0
    if used + len(data) > max_total_bytes():
        raise ValidationError(
            {
                "file": _("An item's evidence may total %(mb)s MB at most.")
                % {"mb": max_total_bytes() // 2**20}
            }
        )
    evidence = LedgerEvidence.objects.create(
        item=item,
        payment=payment,
        confirmation=confirmation,
        uploaded_by=acting_user(actor),
        **stored_evidence(name, data, content_type),
    )
    payload = {
        **evidence_payload(evidence),
        "payment": payment.pk if payment else None,
        "confirmation": confirmation.pk if confirmation else None,
    }
    audit.record(actor=actor, verb=verbs.EVIDENCE_ADD, target=item, payload=payload)
    return evidence

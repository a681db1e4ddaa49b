"""Legal routes of a ledger item: litigation, arbitration or mediation opened by a
keeper, and its outcome."""

from __future__ import annotations

from rest_framework import serializers, status

from qingqian.api.common import ActionView, enum
from qingqian.api.ledger.shared import ItemActionView, act, text
from qingqian.api.serializers import OutputSerializer, Serializer
from qingqian.ledger import selectors, services
from qingqian.ledger.models import LegalProceeding

# --- shapes -----------------------------------------------------------------------


class ProceedingInput(Serializer):
    kind = enum("LedgerProceedingKindEnum", LegalProceeding.Kind)
    body = text(max_length=200)
    filed_on = serializers.DateField()
    case_number = text(required=False, max_length=100)


class DecideInput(Serializer):
    outcome = enum(
        "LedgerDecisionEnum", LegalProceeding.Outcome, exclude=(LegalProceeding.Outcome.PENDING,)
    )
    decided_on = serializers.DateField()
    enforcement = text(required=False, max_length=500)


class ProceedingOutput(OutputSerializer):
    """Litigation, arbitration or mediation about the item, and its outcome."""

    kind = enum("LedgerProceedingKindEnum", LegalProceeding.Kind, read_only=True)
    outcome = enum("LedgerProceedingOutcomeEnum", LegalProceeding.Outcome, read_only=True)
    item = serializers.IntegerField(source="item_id", read_only=True)

    class Meta:
        model = LegalProceeding
        fields = [
            "id",
            "item",
            "kind",
            "body",
            "case_number",
            "filed_on",
            "outcome",
            "decided_on",
            "enforcement",
        ]
        read_only_fields = fields


# --- views ------------------------------------------------------------------------


@act("ledger_proceeding_open")
class LedgerProceedingsView(ItemActionView):
    input_class, output_class = ProceedingInput, ProceedingOutput
    service = staticmethod(services.legal_route_open)
    success_status = status.HTTP_201_CREATED


@act("ledger_proceeding_decide")
class ProceedingDecideView(ActionView):
    input_class, output_class = DecideInput, ProceedingOutput
    service = staticmethod(services.legal_route_decide)
    target, conflicts = "proceeding", frozenset({"outcome"})

    def find(self, actor, pk: int):
        return selectors.proceeding_get(actor=actor, pk=pk)

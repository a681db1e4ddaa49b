"""Repayment plans of a ledger item: the list, and a plan replacing the active one."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from qingqian.api.common import enum
from qingqian.api.complaints.serializers import YuanField
from qingqian.api.ledger.shared import TAGS, ItemActionView, act, errors
from qingqian.api.serializers import OutputSerializer, Serializer
from qingqian.core import money
from qingqian.ledger import selectors, services
from qingqian.ledger.models import Instalment, RepaymentPlan
from qingqian.ledger.services import MAX_INSTALMENTS

# --- shapes -----------------------------------------------------------------------


class InstalmentInput(Serializer):
    due_on = serializers.DateField()
    amount = YuanField(source="amount_fen")


class PlanInput(Serializer):
    instalments = serializers.ListField(
        child=InstalmentInput(),
        max_length=MAX_INSTALMENTS,
        help_text="Increasing future dates; the amounts add up to the undisputed amount "
        "outstanding (a plan does not cover a disputed amount).",
    )

    def validate_instalments(self, instalments):
        if sum(instalment["amount_fen"] for instalment in instalments) > money.MAX_ABS_FEN:
            raise serializers.ValidationError(
                gettext_lazy("The instalments add up to more than any amount owed.")
            )
        return instalments


class InstalmentOutput(OutputSerializer):
    """One instalment of a repayment plan."""

    amount = YuanField(source="amount_fen", read_only=True)

    class Meta:
        model = Instalment
        fields = ["number", "due_on", "amount"]
        read_only_fields = fields


class PlanOutput(OutputSerializer):
    """A repayment plan: active, completed, or replaced by a newer one."""

    state = enum("LedgerPlanStateEnum", RepaymentPlan.State, read_only=True)
    paid_at_start = YuanField(
        source="paid_at_start_fen", read_only=True, help_text="Paid when the plan was agreed."
    )
    instalments = InstalmentOutput(many=True, read_only=True)

    class Meta:
        model = RepaymentPlan
        fields = ["id", "state", "paid_at_start", "created_at", "instalments"]
        read_only_fields = fields


def plans_of(item) -> list:
    return PlanOutput(item.plans.prefetch_related("instalments"), many=True).data


# --- views ------------------------------------------------------------------------


@act("ledger_plan_create")
class LedgerPlansView(ItemActionView):
    input_class, output_class = PlanInput, PlanOutput
    service = staticmethod(services.plan_create)
    success_status = status.HTTP_201_CREATED

    def arguments(self, data: dict) -> dict:
        return {"instalments": [(i["due_on"], i["amount_fen"]) for i in data["instalments"]]}

    @extend_schema(
        tags=TAGS,
        operation_id="ledger_plan_list",
        responses={200: PlanOutput(many=True), **errors(401, 404)},
    )
    def get(self, request, pk):
        return Response(plans_of(selectors.ledger_item_get(actor=request.user, pk=pk)))

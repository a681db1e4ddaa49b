"""How the API shows a ledger item: the list's summary, and the detail with its
payments, confirmations, plans, legal routes and overdue interest."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from qingqian.api.common import enum
from qingqian.api.complaints.serializers import OrganisationBrief, PartyBrief, YuanField
from qingqian.api.ledger.payments import PaymentOutput, payments_of
from qingqian.api.ledger.plans import PlanOutput, plans_of
from qingqian.api.ledger.proceedings import ProceedingOutput
from qingqian.api.ledger.shared import SumYuanField
from qingqian.api.serializers import OutputSerializer, Serializer
from qingqian.ledger import selectors
from qingqian.ledger.models import Category, Confirmation, LedgerItem, Source, Status
from qingqian.parties.vocabulary import DEBTOR_TYPES, Notified, Subject


class LedgerItemSummary(OutputSerializer):
    """A ledger item as the list shows it; amounts are yuan strings."""

    owner = OrganisationBrief(read_only=True)
    debtor = PartyBrief(read_only=True)
    creditor = PartyBrief(read_only=True)
    debtor_type = enum("LedgerDebtorTypeEnum", DEBTOR_TYPES, read_only=True)
    subject = serializers.ChoiceField(Subject.choices, allow_blank=True, read_only=True)
    amount_owed = YuanField(source="owed_fen", read_only=True)
    amount_paid = YuanField(source="paid_fen", read_only=True)
    disputed_amount = YuanField(source="disputed_fen", read_only=True)
    written_off = YuanField(source="written_off_fen", read_only=True)
    outstanding = YuanField(source="outstanding_fen", read_only=True)
    undisputed_outstanding = YuanField(source="undisputed_outstanding_fen", read_only=True)
    status = enum("LedgerStatusEnum", Status, read_only=True)
    category = enum("LedgerCategoryEnum", Category, read_only=True)
    source = enum("LedgerSourceEnum", Source, read_only=True)

    class Meta:
        model = LedgerItem
        fields = [
            "id",
            "owner",
            "region_code",
            "province_code",
            "debtor",
            "debtor_type",
            "creditor",
            "contract_number",
            "contract_signed_on",
            "subject",
            "due_on",
            "amount_owed",
            "amount_paid",
            "disputed_amount",
            "written_off",
            "outstanding",
            "undisputed_outstanding",
            "status",
            "category",
            "source",
            "updated_at",
        ]
        read_only_fields = fields


class ConfirmationOutput(OutputSerializer):
    """What the debtor (or a keeper) said about the item."""

    kind = enum("LedgerConfirmationKindEnum", Confirmation.Kind, read_only=True)
    disputed_amount = YuanField(source="disputed_fen", read_only=True)
    answered_by = serializers.CharField(
        read_only=True,
        help_text="The department (or debtor enterprise) that gave the answer; empty if unknown.",
    )

    class Meta:
        model = Confirmation
        fields = ["id", "kind", "disputed_amount", "note", "at", "answered_by"]
        read_only_fields = fields


class InterestBasisOutput(Serializer):
    kind = enum("InterestBasisKindEnum", ["statutory", "agreed", "agreed_raised_to_lpr"])
    explanation = serializers.CharField()
    daily_rate_percent = serializers.CharField()
    annual_percent = serializers.CharField(allow_null=True)
    lpr_percent = serializers.CharField(allow_null=True, help_text="1Y LPR on the signing date.")


class InterestPeriodOutput(Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    days = serializers.IntegerField()
    principal = SumYuanField(source="principal_fen")
    interest = SumYuanField(source="interest_fen", help_text="Rounded; the total rounds once.")


class InterestOutput(Serializer):
    as_of = serializers.DateField()
    principal = SumYuanField(help_text="The amount owed; payments reduce it from their dates.")
    total = SumYuanField(allow_null=True, help_text="null when it cannot be computed (see error).")
    days = serializers.IntegerField(help_text="Days of accrual.")
    basis = InterestBasisOutput(allow_null=True)
    periods = InterestPeriodOutput(many=True)
    warnings = serializers.ListField(child=serializers.CharField())
    error = serializers.CharField(allow_blank=True)


class LedgerItemOutput(LedgerItemSummary):
    """A ledger item with its history and overdue interest."""

    sme_notified_at_signing = serializers.ChoiceField(Notified.choices, read_only=True)
    payments = serializers.SerializerMethodField()
    confirmations = serializers.SerializerMethodField()
    plans = serializers.SerializerMethodField()
    proceedings = serializers.SerializerMethodField()
    overdue_interest = serializers.SerializerMethodField()

    class Meta(LedgerItemSummary.Meta):
        fields = [
            *LedgerItemSummary.Meta.fields,
            "sme_notified_at_signing",
            "agreed_rate_percent",
            "notes",
            "created_at",
            "payments",
            "confirmations",
            "plans",
            "proceedings",
            "overdue_interest",
        ]
        read_only_fields = fields

    @extend_schema_field(PaymentOutput(many=True))
    def get_payments(self, item: LedgerItem):
        return payments_of(item)

    @extend_schema_field(ConfirmationOutput(many=True))
    def get_confirmations(self, item: LedgerItem):
        answers = item.confirmations.select_related("actor__organisation", "actor__enterprise")
        return ConfirmationOutput(answers, many=True).data

    @extend_schema_field(PlanOutput(many=True))
    def get_plans(self, item: LedgerItem):
        return plans_of(item)

    @extend_schema_field(ProceedingOutput(many=True))
    def get_proceedings(self, item: LedgerItem):
        return ProceedingOutput(item.proceedings.all(), many=True).data

    @extend_schema_field(InterestOutput)
    def get_overdue_interest(self, item: LedgerItem):
        return InterestOutput(self.context["interest"]).data


# --- answers ----------------------------------------------------------------------


def interest_of(item: LedgerItem, as_of) -> dict:
    """Overdue interest by the Regulations' rule, with its basis and warnings; what
    the calculator cannot compute (e.g. no LPR for the signing date) is `error`."""
    body = {
        "as_of": as_of,
        "principal": item.owed_fen,
        "total": None,
        "days": 0,
        "basis": None,
        "periods": [],
        "warnings": [],
        "error": "",
    }
    view = selectors.item_interest_view(item, as_of=as_of)
    if view.error:
        return {**body, "error": view.error}
    result = view.result
    return {
        **body,
        "total": result.total_fen,
        "days": sum(period.days for period in result.periods),
        "basis": result.as_dict()["basis"],
        "periods": result.periods,
        "warnings": list(view.warnings),
    }


def detail(item: LedgerItem, code: int = status.HTTP_200_OK, as_of=None) -> Response:
    as_of = as_of or timezone.localdate()
    context = {"interest": interest_of(item, as_of)}
    return Response(LedgerItemOutput(item, context=context).data, status=code)


def after_action(item: LedgerItem) -> Response:
    """The item as it is now (the service changed its own, locked copy)."""
    item.refresh_from_db()
    return detail(item)

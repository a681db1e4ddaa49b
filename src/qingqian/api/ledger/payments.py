"""Payments of a ledger item: the list, recording one (with its evidence file in
the same act, if sent), and a keeper's reversal of a wrong one."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from qingqian.api.common import ActionView, enum, uploaded
from qingqian.api.complaints.serializers import YuanField
from qingqian.api.ledger.shared import TAGS, ItemActionView, act, errors, text
from qingqian.api.parsers import JSONParser
from qingqian.api.serializers import OutputSerializer, Serializer
from qingqian.ledger import selectors, services
from qingqian.ledger.models import Payment, PaymentMethod

# --- shapes -----------------------------------------------------------------------


class PaymentInput(Serializer):
    paid_on = serializers.DateField()
    amount = YuanField(source="amount_fen")
    method = enum("LedgerPaymentMethodInputEnum", PaymentMethod, exclude=(PaymentMethod.REPORTED,))
    reference = text(required=False, max_length=100)
    note = text(required=False, max_length=500)


class PaymentUpload(PaymentInput):
    """A payment with its evidence file (multipart/form-data)."""

    evidence = serializers.FileField(
        required=False,
        allow_empty_file=True,
        help_text="The file backing the payment; a refused file refuses the payment.",
    )


class ReverseInput(Serializer):
    reason = text(max_length=500)


class PaymentOutput(OutputSerializer):
    """A payment; a reversal is a negative payment naming the one it reverses."""

    amount = YuanField(source="amount_fen", read_only=True, help_text="Negative for a reversal.")
    method = enum("LedgerPaymentMethodEnum", PaymentMethod, read_only=True)
    is_bill = serializers.BooleanField(read_only=True, help_text="Paid by commercial bill.")
    reverses = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="For a reversal: the payment it reverses."
    )
    reversed_by = serializers.SerializerMethodField(help_text="The reversal's id, if reversed.")

    class Meta:
        model = Payment
        fields = [
            "id",
            "paid_on",
            "amount",
            "method",
            "is_bill",
            "reference",
            "note",
            "reverses",
            "reversed_by",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_reversed_by(self, payment: Payment) -> int | None:
        reversals = self.context.get("reversals")
        if reversals is None:
            reversals = reversals_of(Payment.objects.filter(reverses=payment))
        return reversals.get(payment.pk)


def reversals_of(payments) -> dict[int, int]:
    """Reversed payment id → its reversal's id."""
    return {p.reverses_id: p.pk for p in payments if p.reverses_id is not None}


def payments_of(item) -> list:
    """The item's payments as the API shows them, each with its reversal's id."""
    payments = selectors.item_payments(item)
    return PaymentOutput(payments, many=True, context={"reversals": reversals_of(payments)}).data


# --- views ------------------------------------------------------------------------


@act(
    "ledger_payment_record",
    request={"application/json": PaymentInput, "multipart/form-data": PaymentUpload},
)
class LedgerPaymentsView(ItemActionView):
    parser_classes = [JSONParser, MultiPartParser]
    input_class, output_class = PaymentUpload, PaymentOutput
    service = staticmethod(services.payment_record)
    success_status = status.HTTP_201_CREATED

    def arguments(self, data: dict) -> dict:
        upload = data.pop("evidence", None)
        return {**data, "evidence": uploaded(upload) if upload is not None else None}

    @extend_schema(
        tags=TAGS,
        operation_id="ledger_payment_list",
        responses={200: PaymentOutput(many=True), **errors(401, 404)},
    )
    def get(self, request, pk):
        item = selectors.ledger_item_get(actor=request.user, pk=pk)
        return Response(payments_of(item))


@act("ledger_payment_reverse")
class PaymentReverseView(ActionView):
    input_class, output_class = ReverseInput, PaymentOutput
    service = staticmethod(services.payment_reverse)
    target, conflicts = "payment", frozenset({"payment"})
    success_status = status.HTTP_201_CREATED

    def find(self, actor, pk: int):
        return selectors.payment_get(actor=actor, pk=pk)

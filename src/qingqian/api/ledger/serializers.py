"""Input and output shapes of the ledger API: types, yuan strings to fen, errors.

Amounts are yuan strings at the edge ("1234.56") and integer fen inside, as in
the complaints API (its `YuanField`). Every ledger choice is its own named
schema component (LedgerStatusEnum...), so that the ledger's `status`,
`kind` and `state` never collide with the complaints' enums of the same names.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qingqian.api.complaints.serializers import (
    OrganisationBrief,
    PartyBrief,
    YuanField,
)
from qingqian.api.serializers import (
    DebtorField,
    OutputSerializer,
    Serializer,
    error_responses,
    page_of,
)
from qingqian.core import money
from qingqian.core.queries import MAX_ID
from qingqian.ledger.imports import read_progress
from qingqian.ledger.models import (
    Category,
    Confirmation,
    Instalment,
    LedgerEvidence,
    LedgerImport,
    LedgerImportError,
    LedgerItem,
    LegalProceeding,
    Payment,
    PaymentMethod,
    RepaymentPlan,
    Source,
    Status,
)
from qingqian.ledger.selectors import AGE_BUCKETS, PAGE_SIZE, item_payments
from qingqian.ledger.services import MAX_INSTALMENTS
from qingqian.parties.vocabulary import DEBTOR_TYPES, Notified, Subject

TAGS = ["ledger"]
MAX_PAGE_SIZE = 500

# --- fields -----------------------------------------------------------------------


_ENUM_FIELDS: dict[str, tuple[type[serializers.ChoiceField], list]] = {}


def enum(name: str, choices, *, exclude=(), **kwargs) -> serializers.ChoiceField:
    """A choice field whose enum is the schema component `name` (one class per name).

    `choices` is a Django choices class or a list of values."""
    pairs = getattr(choices, "choices", None) or [(value, value) for value in choices]
    pairs = [(value, label) for value, label in pairs if value not in exclude]
    if name not in _ENUM_FIELDS:
        schema = {"type": "string", "enum": [value for value, _label in pairs]}
        field_class = type(f"{name}Field", (serializers.ChoiceField,), {})
        field_class = extend_schema_field(schema, component_name=name)(field_class)
        _ENUM_FIELDS[name] = (field_class, pairs)
    field_class, known = _ENUM_FIELDS[name]
    # A schema-building check between two of our own tables, not a guard on input.
    assert [v for v, _l in known] == [v for v, _l in pairs], f"{name}: two choice sets"  # nosec B101
    return field_class(choices=pairs, **kwargs)


class SumYuanField(YuanField):
    """A sum or a computed amount (totals, interest): yuan text like `YuanField`, but
    not bound to the range of one typed amount."""

    def to_representation(self, value: int) -> str:
        sign = "-" if value < 0 else ""
        yuan, cents = divmod(abs(value), money.FEN_PER_YUAN)
        return f"{sign}{yuan}.{cents:02d}"


def text(*, required: bool = True, max_length: int) -> serializers.CharField:
    """Blank is let through so that the service says, in its words, what is missing."""
    return serializers.CharField(required=required, allow_blank=True, max_length=max_length)


def enterprise_id(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=help_text)


def rate_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=6,
        decimal_places=3,
        min_value=0,
        max_value=99,
        allow_null=True,
        help_text="Agreed overdue interest rate, percent a year; null: none agreed.",
        **kwargs,
    )


# --- input ------------------------------------------------------------------------


class LedgerFilterInput(Serializer):
    """The filters of the list, the totals and the export."""

    region = serializers.RegexField(
        r"^[0-9]{1,6}$",
        required=False,
        allow_blank=True,
        help_text="Region code prefix of the debtor's location: 44, 4401, 440104.",
    )
    debtor_type = enum("LedgerDebtorTypeEnum", DEBTOR_TYPES, required=False)
    status = enum("LedgerStatusEnum", Status, required=False)
    category = enum("LedgerCategoryEnum", Category, required=False)
    debtor = serializers.IntegerField(
        source="debtor_id", required=False, min_value=1, max_value=MAX_ID
    )
    creditor = serializers.IntegerField(
        source="creditor_id", required=False, min_value=1, max_value=MAX_ID
    )
    age = enum(
        "LedgerAgeEnum",
        list(AGE_BUCKETS),
        required=False,
        help_text="Days overdue, for items not cleared or written off.",
    )
    min_owed = YuanField(source="min_owed_fen", required=False)
    max_owed = YuanField(source="max_owed_fen", required=False)
    contract = serializers.CharField(
        source="search",
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="A contract number, exactly.",
    )


class LedgerListInput(LedgerFilterInput):
    after = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="The `next_after` of the previous page: items with a smaller id follow.",
    )
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=PAGE_SIZE
    )


class LedgerExportInput(LedgerFilterInput):
    format = enum("LedgerExportFormatEnum", ["csv", "xlsx"], required=False, default="csv")


class AsOfInput(Serializer):
    as_of = serializers.DateField(
        required=False, help_text="Overdue interest up to this day (default: today)."
    )


class LedgerItemCreateInput(Serializer):
    debtor = DebtorField(
        help_text="The debtor: the id of an enterprise you can see, or its particulars "
        "(the enterprise with that credit code, or a new record of it)."
    )
    creditor = enterprise_id("The creditor SME's id (one you can see).")
    owner = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="Keeping organisation: yours (the default) or one under it.",
    )
    contract_number = text(max_length=100)
    contract_signed_on = serializers.DateField()
    subject = serializers.ChoiceField(Subject.choices, required=False, allow_blank=True)
    due_on = serializers.DateField()
    amount_owed = YuanField(source="owed_fen")
    amount_paid = YuanField(source="paid_fen", required=False, help_text="Paid before entry.")
    disputed_amount = YuanField(source="disputed_fen", required=False)
    sme_notified_at_signing = serializers.ChoiceField(Notified.choices, required=False)
    agreed_rate_percent = rate_field(required=False)
    notes = text(required=False, max_length=500)


class LedgerItemUpdateInput(Serializer):
    due_on = serializers.DateField(required=False)
    amount_owed = YuanField(source="owed_fen", required=False)
    subject = serializers.ChoiceField(Subject.choices, required=False, allow_blank=True)
    agreed_rate_percent = rate_field(required=False)
    notes = text(required=False, max_length=500)


class ConfirmInput(Serializer):
    disputed_amount = YuanField(
        source="disputed_fen",
        required=False,
        default=0,
        help_text="0 (the default) confirms the outstanding amount in full.",
    )
    note = text(required=False, max_length=1000)


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


class InstalmentInput(Serializer):
    due_on = serializers.DateField()
    amount = YuanField(source="amount_fen")


class PlanInput(Serializer):
    instalments = serializers.ListField(
        child=InstalmentInput(),
        max_length=MAX_INSTALMENTS,
        help_text="Increasing future dates; the amounts add up to what is outstanding.",
    )

    def validate_instalments(self, instalments):
        if sum(instalment["amount_fen"] for instalment in instalments) > money.MAX_ABS_FEN:
            raise serializers.ValidationError(
                gettext_lazy("The instalments add up to more than any amount owed.")
            )
        return instalments


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


class ImportUpload(Serializer):
    file = serializers.FileField(
        help_text="A ledger return (CSV or XLSX) in the import template's columns."
    )
    owner = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="Keeping organisation: yours (the default) or one under it.",
    )


class ImportErrorsInput(Serializer):
    format = enum("LedgerImportErrorsFormatEnum", ["json", "csv"], required=False, default="json")


# --- output -----------------------------------------------------------------------


class TotalsOutput(Serializer):
    items = serializers.IntegerField()
    owed = SumYuanField(source="owed_fen")
    paid = SumYuanField(source="paid_fen")
    disputed = SumYuanField(source="disputed_fen")
    outstanding = SumYuanField(source="outstanding_fen")
    undisputed_outstanding = SumYuanField(source="undisputed_outstanding_fen")


class ProvinceTotalsOutput(Serializer):
    province_code = serializers.CharField()
    status = enum("LedgerStatusEnum", Status)
    totals = TotalsOutput()


class LedgerTotalsOutput(Serializer):
    totals = TotalsOutput(help_text="For the filters given.")
    by_province = ProvinceTotalsOutput(
        many=True, help_text="Province × status over your whole scope (officials only)."
    )


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
            "outstanding",
            "undisputed_outstanding",
            "status",
            "category",
            "source",
            "updated_at",
        ]
        read_only_fields = fields


class LedgerPage(Serializer):
    results = LedgerItemSummary(many=True)
    next_after = serializers.IntegerField(
        allow_null=True, help_text="Pass as `after` for the next page; null on the last page."
    )
    totals = TotalsOutput(help_text="Of every item the filters select, not only this page.")


class ConfirmationOutput(OutputSerializer):
    """What the debtor (or a keeper) said about the item."""

    kind = enum("LedgerConfirmationKindEnum", Confirmation.Kind, read_only=True)
    disputed_amount = YuanField(source="disputed_fen", read_only=True)

    class Meta:
        model = Confirmation
        fields = ["id", "kind", "disputed_amount", "note", "at"]
        read_only_fields = fields


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
        payments = item_payments(item)
        context = {"reversals": reversals_of(payments)}
        return PaymentOutput(payments, many=True, context=context).data

    @extend_schema_field(ConfirmationOutput(many=True))
    def get_confirmations(self, item: LedgerItem):
        return ConfirmationOutput(item.confirmations.all(), many=True).data

    @extend_schema_field(PlanOutput(many=True))
    def get_plans(self, item: LedgerItem):
        return PlanOutput(item.plans.prefetch_related("instalments"), many=True).data

    @extend_schema_field(ProceedingOutput(many=True))
    def get_proceedings(self, item: LedgerItem):
        return ProceedingOutput(item.proceedings.all(), many=True).data

    @extend_schema_field(InterestOutput)
    def get_overdue_interest(self, item: LedgerItem):
        return InterestOutput(self.context["interest"]).data


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

ERROR_TEXT = {
    400: "Invalid: `fields` names each problem (with the API's field names).",
    401: "Not signed in.",
    403: "In your scope, but you may not do this.",
    404: "No such record in your scope (or no such page).",
    409: "Not possible in the record's state (`conflict`): the item is cleared or written "
    "off, the payment is already reversed, or the proceeding already decided.",
}


def errors(*codes: int) -> dict:
    return error_responses(*codes, texts=ERROR_TEXT)


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

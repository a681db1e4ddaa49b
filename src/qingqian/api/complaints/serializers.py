"""Input and output shapes of the complaints API: types, yuan strings to fen, errors."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import serializers

from qingqian.accounts.models import Organisation
from qingqian.api.serializers import DebtorField, OutputSerializer, Serializer, error_responses
from qingqian.complaints import reading, services
from qingqian.complaints.models import (
    Channel,
    Complaint,
    ComplaintEvent,
    Deadline,
    Evidence,
    NotAcceptedGround,
    Notified,
    ResultKind,
    Subject,
)
from qingqian.core import money
from qingqian.core.selectors import load_calendar
from qingqian.parties.models import Enterprise

TAGS = ["complaints"]
TEXT_MAX = 5000

# --- fields -----------------------------------------------------------------------

MONEY_MESSAGES = {
    "empty": gettext_lazy("Enter an amount in yuan."),
    "not_ascii_digits": gettext_lazy("Use the digits 0-9."),
    "exponent": gettext_lazy("Write the amount in full, without an exponent."),
    "bad_grouping": gettext_lazy("Thousands separators must split groups of three digits."),
    "leading_zero": gettext_lazy("Remove the leading zeros."),
    "too_many_decimals": gettext_lazy("At most two decimals (fen) are allowed."),
    "too_large": gettext_lazy("The amount must be less than 10^15 yuan."),
    "negative": gettext_lazy("The amount cannot be negative."),
}
YUAN_SCHEMA = {
    "type": "string",
    "description": "Decimal yuan as text, at most 2 decimals (never a JSON number).",
    "example": "1234.56",
}


@extend_schema_field(YUAN_SCHEMA)
class YuanField(serializers.Field):
    """Decimal yuan as a string at the edge, integer fen inside; never a float."""

    default_error_messages = {
        "not_text": gettext_lazy('Send the amount as text in yuan, e.g. "1234.56".'),
        "invalid": gettext_lazy("Enter an amount in yuan, e.g. 1234.56."),
    }

    def to_internal_value(self, data) -> int:
        if not isinstance(data, str):
            self.fail("not_text")
        try:
            return money.parse_yuan(data)
        except money.MoneyError as error:
            message = MONEY_MESSAGES.get(error.code, self.error_messages["invalid"])
            raise serializers.ValidationError(str(message), code=error.code) from error

    def to_representation(self, value: int) -> str:
        return money.to_yuan_str(value)


def _text(*, required: bool = True, max_length: int = TEXT_MAX) -> serializers.CharField:
    """Blank is let through so that the service says, in its words, what is missing."""
    return serializers.CharField(required=required, allow_blank=True, max_length=max_length)


def _choice(choices) -> serializers.ChoiceField:
    """A choice with its enum written inline (the models' own enums keep the names)."""
    field_class = type(f"{choices.__name__}Choice", (serializers.ChoiceField,), {})
    field_class = extend_schema_field({"type": "string", "enum": choices.values})(field_class)
    return field_class(choices=choices.choices)


# --- input ------------------------------------------------------------------------


class ComplaintDraftInput(Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    source_reference = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="The sender's reference (转办编号) of a complaint transferred from the "
        'national platform or the "Internet + supervision" channel.',
    )
    debtor = DebtorField(required=False, allow_null=True)
    contract_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    contract_signed_on = serializers.DateField(required=False, allow_null=True)
    subject = serializers.ChoiceField(choices=Subject.choices, required=False, allow_blank=True)
    delivered_on = serializers.DateField(required=False, allow_null=True)
    payment_due_on = serializers.DateField(required=False, allow_null=True)
    amount_owed = YuanField(source="amount_owed_fen", required=False, allow_null=True)
    amount_paid = YuanField(source="amount_paid_fen", required=False)
    request_text = _text(required=False)
    facts_text = _text(required=False, max_length=20000)
    undertaking = serializers.BooleanField(required=False)
    sme_notified_at_signing = serializers.ChoiceField(choices=Notified.choices, required=False)


class ComplaintDraftEdit(ComplaintDraftInput):
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="The version you last saw: a draft changed since then is refused (409).",
    )


class ComplaintCreateInput(ComplaintDraftInput):
    complainant = serializers.IntegerField(
        required=False,
        help_text="The complaining enterprise; SME users: their own (the default).",
    )
    submit = serializers.BooleanField(
        default=False,
        help_text="true: create and submit at once (a refused submission writes nothing).",
    )


class VersionInput(Serializer):
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        help_text="The version you saw; if the complaint changed since, 409 `stale`.",
    )


ACTION_FIELDS = {
    "submit": dict,
    "request-material": lambda: {"note": _text()},
    "resubmit": lambda: {"note": _text(required=False)},
    "accept": lambda: {"note": _text(required=False)},
    "not-accept": lambda: {
        "ground": _choice(NotAcceptedGround),
        "note": _text(),
    },
    "transfer": lambda: {
        "department": serializers.PrimaryKeyRelatedField(
            queryset=Organisation.objects.all(), help_text="A handling department's id."
        ),
        "note": _text(required=False),
    },
    "return": lambda: {
        "reason": _text(),
        "suggested_department": _text(required=False, max_length=200),
    },
    "debtor-response": lambda: {
        "confirmed": YuanField(source="confirmed_fen", required=False, default=0),
        "disputed": YuanField(source="disputed_fen", required=False, default=0),
        "note": _text(required=False),
    },
    "extend": lambda: {
        "total_days": serializers.IntegerField(min_value=0, max_value=32767),
        "approved_by": _text(max_length=100),
        "reason": _text(),
    },
    "supervision-order": lambda: {"due_on": serializers.DateField(), "note": _text()},
    "submit-result": lambda: {
        "kind": _choice(ResultKind),
        "text": _text(max_length=20000),
        # Left out all four: the amounts the kind implies (complaints.results).
        "confirmed": YuanField(source="confirmed_fen", required=False, allow_null=True),
        "disputed": YuanField(source="disputed_fen", required=False, allow_null=True),
        "paid": YuanField(source="paid_fen", required=False, allow_null=True),
        "planned": YuanField(source="planned_fen", required=False, allow_null=True),
        "basis": _text(required=False),
    },
    "approve-result": lambda: {"note": _text(required=False)},
    "send-back": lambda: {"comments": _text()},
    "feedback": lambda: {
        "satisfied": serializers.BooleanField(),
        "comment": _text(required=False),
    },
    "reopen": lambda: {"new_facts": _text()},
    "withdraw": lambda: {"reason": _text(required=False)},
    "terminate": lambda: {"reason": _text()},
}
assert set(ACTION_FIELDS) == set(services.ACTIONS)  # nosec B101 # import-time table check


def camel_case(action: str) -> str:
    return "".join(part.title() for part in action.split("-"))


ACTION_INPUTS = {
    action: type(f"{camel_case(action)}Input", (VersionInput,), fields())
    for action, fields in ACTION_FIELDS.items()
}


class EvidenceUpload(Serializer):
    file = serializers.FileField(allow_empty_file=True)


class ComplaintFilingUpload(Serializer):
    """Filing with evidence files in one request (multipart/form-data): the
    complaint as the JSON document the `application/json` body would be, and
    its files, each as an `evidence` part."""

    complaint = serializers.JSONField(
        binary=True, help_text="The complaint: the same JSON object as an application/json request."
    )
    evidence = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),
        required=False,
        help_text="The evidence files; all are checked, and a refused one refuses the filing.",
    )


# --- output -----------------------------------------------------------------------


class PartyBrief(OutputSerializer):
    class Meta:
        model = Enterprise
        fields = ["id", "uscc", "name", "type", "region_code"]
        read_only_fields = fields


CONTACT_FIELDS = ("address", "contact_name", "contact_phone")


class ComplainantOutput(PartyBrief):
    # Not required: debtor representatives never get the complainant's contact details.
    address = serializers.CharField(required=False, allow_blank=True)
    contact_name = serializers.CharField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(required=False, allow_blank=True)

    class Meta(PartyBrief.Meta):
        fields = [*PartyBrief.Meta.fields, *CONTACT_FIELDS]


class OrganisationBrief(OutputSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "region_code"]
        read_only_fields = fields


class DeadlineOutput(OutputSerializer):
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Deadline
        fields = [
            "stage",
            "status",
            "start_on",
            "due_on",
            "rule",
            "provisional",
            "paused_days",
            "ended_on",
            "overdue",
        ]
        read_only_fields = fields

    def get_overdue(self, deadline: Deadline) -> bool:
        return reading.is_overdue(deadline, timezone.localdate())


class ComplaintSummary(OutputSerializer):
    complainant = PartyBrief(read_only=True)
    debtor = PartyBrief(read_only=True, allow_null=True)
    amount_owed = YuanField(source="amount_owed_fen", read_only=True, allow_null=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "tracking_number",
            "state",
            "version",
            "channel",
            "source_reference",
            "complainant",
            "debtor",
            "province_code",
            "contract_number",
            "amount_owed",
            "submitted_on",
            "updated_at",
        ]
        read_only_fields = fields


class NextDueOutput(Serializer):
    stage = serializers.ChoiceField(Deadline.Stage.choices)
    due_on = serializers.DateField()
    unit = serializers.ChoiceField(
        [("working_days", "working days"), ("days", "calendar days")],
        help_text="The clock's unit, in which `days_left` is counted.",
    )
    days_left = serializers.IntegerField(help_text="Until the due date; 0 on the day itself.")
    days_overdue = serializers.IntegerField(
        help_text="Calendar days past the due date; 0 when not overdue."
    )


class ComplaintQueueItem(ComplaintSummary):
    """A complaint in a work queue: the summary and its running clock due first."""

    next_due = serializers.SerializerMethodField(
        help_text="The running clock due first; null when no clock runs."
    )

    class Meta(ComplaintSummary.Meta):
        fields = [*ComplaintSummary.Meta.fields, "next_due"]
        read_only_fields = fields

    @extend_schema_field(NextDueOutput(allow_null=True))
    def get_next_due(self, complaint: Complaint) -> dict | None:
        due = reading.next_due(complaint, timezone.localdate(), self._calendar())
        return None if due is None else NextDueOutput(due).data

    def _calendar(self):
        if "calendar" not in self.context:
            self.context["calendar"] = load_calendar()
        return self.context["calendar"]


class ComplaintOutput(ComplaintSummary):
    complainant = ComplainantOutput(read_only=True)
    accepting_authority = OrganisationBrief(read_only=True, allow_null=True)
    handling_department = OrganisationBrief(read_only=True, allow_null=True)
    amount_paid = YuanField(source="amount_paid_fen", read_only=True)
    # Blank until set; a read-only model field would lose `allow_blank` (and the schema the "").
    subject = serializers.ChoiceField(Subject.choices, allow_blank=True, read_only=True)
    not_accepted_ground = serializers.ChoiceField(
        NotAcceptedGround.choices, allow_blank=True, read_only=True
    )
    result_kind = serializers.ChoiceField(ResultKind.choices, allow_blank=True, read_only=True)
    result_confirmed = YuanField(source="result_confirmed_fen", read_only=True)
    result_disputed = YuanField(source="result_disputed_fen", read_only=True)
    result_paid = YuanField(source="result_paid_fen", read_only=True)
    result_planned = YuanField(source="result_planned_fen", read_only=True)
    deadlines = DeadlineOutput(many=True, read_only=True)
    actions = serializers.SerializerMethodField(help_text="What you may do now.")
    size_reason = serializers.CharField(required=False, allow_blank=True)
    size_warning = serializers.BooleanField(required=False)

    class Meta(ComplaintSummary.Meta):
        fields = [
            *ComplaintSummary.Meta.fields,
            "accepting_authority",
            "handling_department",
            "contract_signed_on",
            "subject",
            "delivered_on",
            "payment_due_on",
            "amount_paid",
            "request_text",
            "facts_text",
            "undertaking",
            "sme_notified_at_signing",
            "size_class",
            "size_reason",
            "size_warning",
            "not_accepted_ground",
            "result_kind",
            "result_text",
            "result_confirmed",
            "result_disputed",
            "result_paid",
            "result_planned",
            "result_basis",
            "feedback_satisfied",
            "feedback_text",
            "created_at",
            "accepted_on",
            "received_on",
            "deadlines",
            "actions",
        ]
        read_only_fields = [f for f in fields if f not in ("size_reason", "size_warning")]

    def get_actions(self, complaint: Complaint) -> list[str]:
        return self.context["view"].actions

    def to_representation(self, complaint):
        data = super().to_representation(complaint)
        if not self.context["view"].shows_contact:
            for name in CONTACT_FIELDS:
                data["complainant"].pop(name, None)
            data.pop("size_reason")
            data.pop("size_warning")
        return data


class ComplaintPage(Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ComplaintQueueItem(many=True)


class EventOutput(OutputSerializer):
    actor_name = serializers.SerializerMethodField(
        help_text="Who acted, by name: officials only (empty for the parties)."
    )
    actor_role = serializers.SerializerMethodField()
    actor_organisation = serializers.SerializerMethodField()
    # Officials only: the parties never get internal notes.
    internal_note = serializers.CharField(required=False, allow_blank=True)

    class Meta:
        model = ComplaintEvent
        fields = [
            "id",
            "at",
            "action",
            "from_state",
            "to_state",
            "actor_name",
            "actor_role",
            "actor_organisation",
            "note",
            "internal_note",
            "details",
        ]
        read_only_fields = [f for f in fields if f != "internal_note"]

    def get_actor_name(self, event: ComplaintEvent) -> str:
        return event.actor_name

    def get_actor_role(self, event: ComplaintEvent) -> str:
        return event.actor.role if event.actor else ""

    def get_actor_organisation(self, event: ComplaintEvent) -> str:
        organisation = event.actor.organisation if event.actor else None
        return organisation.name if organisation else ""

    def to_representation(self, event):
        if not self.context["view"].visibility.internal_notes:
            self.fields.pop("internal_note", None)
        return super().to_representation(event)


class EvidenceOutput(OutputSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at"]
        read_only_fields = fields


ERROR_TEXT = {
    400: "Invalid: `fields` names each problem.",
    401: "Not signed in.",
    403: "In your scope, but you may not do this.",
    404: "No such complaint in your scope.",
    409: "Not possible in the complaint's state (`conflict`), or it changed (`stale`).",
}


def errors(*codes: int) -> dict:
    return error_responses(*codes, texts=ERROR_TEXT)

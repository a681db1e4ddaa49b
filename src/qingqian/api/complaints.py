"""The complaints resource: list, create, detail, draft edits, one endpoint per
workflow action, history and evidence.

Thin: serializers check types and turn yuan strings into fen, services decide
and write, selectors scope every read (out of scope is a 404 before anything
else is looked at).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from qingqian.accounts.models import Organisation, Role
from qingqian.api.serializers import ErrorOutput, Pagination
from qingqian.complaints import evidence as evidence_files
from qingqian.complaints import selectors, services
from qingqian.complaints.models import (
    Channel,
    Complaint,
    ComplaintEvent,
    Deadline,
    Evidence,
    NotAcceptedGround,
    Notified,
    ResultKind,
    State,
    Subject,
)
from qingqian.complaints.transitions import TRANSITIONS, allowed_actions
from qingqian.core import money
from qingqian.parties import selectors as party_selectors
from qingqian.parties import services as party_services
from qingqian.parties.models import Enterprise
from qingqian.parties.selectors import enterprise_list

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


class DebtorInput(serializers.Serializer):
    uscc = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=200)
    type = serializers.ChoiceField(choices=Enterprise.Type.choices)
    region_code = serializers.CharField(max_length=6)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)


DEBTOR_SCHEMA = {
    "oneOf": [
        {"type": "integer", "description": "The id of a known enterprise."},
        {
            "type": "object",
            "description": "A debtor by credit code: the known one, or a new record.",
            "properties": {
                "uscc": {"type": "string", "maxLength": 30},
                "name": {"type": "string", "maxLength": 200},
                "type": {"type": "string", "enum": Enterprise.Type.values},
                "region_code": {"type": "string", "maxLength": 6},
                "address": {"type": "string", "maxLength": 255},
                "contact_name": {"type": "string", "maxLength": 60},
                "contact_phone": {"type": "string", "maxLength": 30},
            },
            "required": ["uscc", "name", "type", "region_code"],
        },
    ]
}


@extend_schema_field(DEBTOR_SCHEMA)
class DebtorField(serializers.Field):
    """An enterprise id (int) or the debtor's particulars (object)."""

    default_error_messages = {
        "invalid": gettext_lazy("Give the debtor's id or its particulars."),
    }

    def to_internal_value(self, data):
        if isinstance(data, int) and not isinstance(data, bool):
            return data
        if not isinstance(data, dict):
            self.fail("invalid")
        particulars = DebtorInput(data=data)
        if not particulars.is_valid():
            raise serializers.ValidationError(particulars.errors)
        return dict(particulars.validated_data)


def _text(*, required: bool = True, max_length: int = TEXT_MAX) -> serializers.CharField:
    """Blank is let through so that the service says, in its words, what is missing."""
    return serializers.CharField(required=required, allow_blank=True, max_length=max_length)


def _choice(choices) -> serializers.ChoiceField:
    """A choice with its enum written inline (the models' own enums keep the names)."""
    field_class = type(f"{choices.__name__}Choice", (serializers.ChoiceField,), {})
    field_class = extend_schema_field({"type": "string", "enum": choices.values})(field_class)
    return field_class(choices=choices.choices)


# --- input ------------------------------------------------------------------------


class ComplaintDraftInput(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
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


class ComplaintCreateInput(ComplaintDraftInput):
    complainant = serializers.IntegerField(
        required=False,
        help_text="The complaining enterprise; SME users: their own (the default).",
    )
    submit = serializers.BooleanField(
        default=False,
        help_text="true: create and submit at once (a refused submission writes nothing).",
    )


class ComplaintFilter(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices, required=False)
    overdue = serializers.BooleanField(required=False, default=False)
    province = serializers.CharField(max_length=6, required=False, allow_blank=True)
    debtor = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Credit code or name."
    )
    q = serializers.CharField(source="search", max_length=200, required=False, allow_blank=True)


class VersionInput(serializers.Serializer):
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
assert set(ACTION_FIELDS) == set(services.ACTIONS)


def _camel(action: str) -> str:
    return "".join(part.title() for part in action.split("-"))


ACTION_INPUTS = {
    action: type(f"{_camel(action)}Input", (VersionInput,), fields())
    for action, fields in ACTION_FIELDS.items()
}


class EvidenceUpload(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)


# --- output -----------------------------------------------------------------------


class PartyBrief(serializers.ModelSerializer):
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


class OrganisationBrief(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "region_code"]
        read_only_fields = fields


class DeadlineOutput(serializers.ModelSerializer):
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
        running = deadline.status in (Deadline.Status.OPEN, Deadline.Status.PAUSED)
        return running and deadline.due_on < timezone.localdate()


class ComplaintSummary(serializers.ModelSerializer):
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
            "complainant",
            "debtor",
            "province_code",
            "contract_number",
            "amount_owed",
            "submitted_on",
            "updated_at",
        ]
        read_only_fields = fields


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
        actor = self.context["actor"]
        return [
            action
            for action in allowed_actions(complaint.state, actor.role)
            if services.may_act(actor, complaint, action)
        ]

    def to_representation(self, complaint):
        data = super().to_representation(complaint)
        if not selectors.shows_complainant_contact(self.context["actor"]):
            for name in CONTACT_FIELDS:
                data["complainant"].pop(name, None)
            data.pop("size_reason")
            data.pop("size_warning")
        return data


class ComplaintPage(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ComplaintSummary(many=True)


class EventOutput(serializers.ModelSerializer):
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
            "actor_role",
            "actor_organisation",
            "note",
            "internal_note",
            "details",
        ]
        read_only_fields = [f for f in fields if f != "internal_note"]

    def get_actor_role(self, event: ComplaintEvent) -> str:
        return event.actor.role if event.actor else ""

    def get_actor_organisation(self, event: ComplaintEvent) -> str:
        organisation = event.actor.organisation if event.actor else None
        return organisation.name if organisation else ""

    def to_representation(self, event):
        if not selectors.shows_internal_notes(self.context["actor"]):
            self.fields.pop("internal_note", None)
        return super().to_representation(event)


class EvidenceOutput(serializers.ModelSerializer):
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
    return {code: OpenApiResponse(ErrorOutput, description=ERROR_TEXT[code]) for code in codes}


# --- calling services ----------------------------------------------------------------


def renames_of(serializer: serializers.Serializer) -> dict[str, str]:
    """Service field names (amount_owed_fen) → the API's (amount_owed)."""
    return {f.source: name for name, f in serializer.fields.items() if f.source != name}


def run_service(function, renames: dict | None = None, prefix: str = "", **kwargs):
    """Run a service; its ValidationError becomes a 400 naming the API's fields."""
    try:
        return function(**kwargs)
    except DjangoValidationError as error:
        raise exceptions.ValidationError(api_fields(error, renames or {}, prefix)) from error


def api_fields(error: DjangoValidationError, renames: dict, prefix: str = "") -> dict:
    if not hasattr(error, "error_dict"):
        return {"non_field_errors": error.messages}
    return {
        "non_field_errors" if name == "__all__" else prefix + renames.get(name, name): messages
        for name, messages in error.message_dict.items()
    }


def resolve_complainant(actor, pk: int | None) -> Enterprise:
    if pk is None:
        if actor.role == Role.SME and actor.enterprise_id:
            return actor.enterprise
        raise exceptions.ValidationError({"complainant": [_("Name the complaining enterprise.")]})
    enterprise = party_selectors.enterprise_list(actor=actor).filter(pk=pk).first()
    if enterprise is None:
        raise exceptions.ValidationError(
            {"complainant": [_("Choose an enterprise within your scope.")]}
        )
    return enterprise


def resolve_debtor(actor, value) -> Enterprise | None:
    if value is None:
        return None
    if isinstance(value, int):
        # By id only among the enterprises this person may see (no probing of
        # other records); anyone may name a debtor by its particulars instead.
        debtor = enterprise_list(actor=actor).filter(pk=value).first()
        if debtor is None:
            raise exceptions.ValidationError({"debtor": [_("No enterprise has this id.")]})
        return debtor
    return run_service(
        party_services.enterprise_find_or_register_debtor, prefix="debtor.", actor=actor, **value
    )


@transaction.atomic
def create_complaint(actor, data: ComplaintCreateInput) -> Complaint:
    """Draft, and submit when asked, in one transaction: a refusal writes nothing."""
    if actor.role not in TRANSITIONS["submit"].roles:  # who may submit may file
        raise PermissionDenied(_("You may not file complaints."))
    fields = dict(data.validated_data)
    submit = fields.pop("submit")
    complainant = resolve_complainant(actor, fields.pop("complainant", None))
    if "debtor" in fields:
        fields["debtor"] = resolve_debtor(actor, fields["debtor"])
    renames = renames_of(data)
    complaint = run_service(
        services.complaint_create_draft,
        renames,
        actor=actor,
        complainant=complainant,
        **fields,
    )
    if submit:
        complaint = run_service(
            services.complaint_submit, renames, actor=actor, complaint=complaint
        )
    return complaint


@transaction.atomic
def update_draft(actor, complaint: Complaint, data: ComplaintDraftInput) -> Complaint:
    fields = dict(data.validated_data)
    if "debtor" in fields:
        fields["debtor"] = resolve_debtor(actor, fields["debtor"])
    return run_service(
        services.complaint_update_draft,
        renames_of(data),
        actor=actor,
        complaint=complaint,
        **fields,
    )


def refuse_unknown_fields(request, serializer_class) -> None:
    unknown = set(request.data) - set(serializer_class().fields)
    if unknown:
        raise exceptions.ValidationError(
            {name: [_("This field cannot be changed.")] for name in sorted(unknown)}
        )


def detail(request, complaint: Complaint, code: int = status.HTTP_200_OK) -> Response:
    """The complaint as this person may see it (after an action it may have left
    their scope, e.g. a returned transfer: they still see the result of their act)."""
    return Response(ComplaintOutput(complaint, context={"actor": request.user}).data, status=code)


# --- views ------------------------------------------------------------------------


PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="Page number, from 1."),
    OpenApiParameter("page_size", int, description="Up to 500."),
]


class ComplaintListView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="complaint_list",
        parameters=[ComplaintFilter, *PAGE_PARAMETERS],
        responses={200: ComplaintPage, **errors(400, 401, 404)},
    )
    def get(self, request):
        query = ComplaintFilter(data=request.query_params)
        query.is_valid(raise_exception=True)
        complaints = selectors.complaint_list(actor=request.user, **query.validated_data)
        paginator = Pagination()
        page = paginator.paginate_queryset(complaints, request, view=self)
        return paginator.get_paginated_response(ComplaintSummary(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        operation_id="complaint_create",
        request=ComplaintCreateInput,
        responses={201: ComplaintOutput, **errors(400, 401, 403)},
    )
    def post(self, request):
        data = ComplaintCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        complaint = create_complaint(request.user, data)
        return detail(request, complaint, status.HTTP_201_CREATED)


class ComplaintDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="complaint_get",
        responses={200: ComplaintOutput, **errors(401, 404)},
    )
    def get(self, request, pk):
        return detail(request, selectors.complaint_get(actor=request.user, pk=pk))

    @extend_schema(
        tags=TAGS,
        operation_id="complaint_update_draft",
        request=ComplaintDraftInput,
        responses={200: ComplaintOutput, **errors(400, 401, 403, 404, 409)},
        description="Edit a draft.",
    )
    def patch(self, request, pk):
        complaint = selectors.complaint_get(actor=request.user, pk=pk)
        data = ComplaintDraftInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        refuse_unknown_fields(request, ComplaintDraftInput)
        return detail(request, update_draft(request.user, complaint, data))


class ComplaintActionView(APIView):
    action_name = ""
    input_class: type[serializers.Serializer] = VersionInput

    def act(self, request, pk):
        complaint = selectors.complaint_get(actor=request.user, pk=pk)
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        complaint = run_service(
            services.ACTIONS[self.action_name],
            renames_of(data),
            actor=request.user,
            complaint=complaint,
            **data.validated_data,
        )
        return detail(request, complaint)


def action_view(action: str):
    """One view class per action, so that each has its own documented request body."""
    input_class = ACTION_INPUTS[action]

    @extend_schema(
        tags=TAGS,
        operation_id=f"complaint_{action.replace('-', '_')}",
        summary=f"Workflow action: {action}",
        request=input_class,
        responses={200: ComplaintOutput, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk):
        return self.act(request, pk)

    name = f"Complaint{_camel(action)}View"
    attrs = {"action_name": action, "input_class": input_class, "post": post}
    return type(name, (ComplaintActionView,), attrs).as_view()


class ComplaintEventsView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="complaint_events",
        responses={200: EventOutput(many=True), **errors(401, 404)},
    )
    def get(self, request, pk):
        complaint = selectors.complaint_get(actor=request.user, pk=pk)
        events = selectors.complaint_history(actor=request.user, complaint=complaint)
        events = events.select_related("actor__organisation")
        return Response(EventOutput(events, many=True, context={"actor": request.user}).data)


class EvidenceListView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS,
        operation_id="complaint_evidence_list",
        responses={200: EvidenceOutput(many=True), **errors(401, 404)},
    )
    def get(self, request, pk):
        complaint = selectors.complaint_get(actor=request.user, pk=pk)
        return Response(EvidenceOutput(complaint.evidence.all(), many=True).data)

    @extend_schema(
        tags=TAGS,
        operation_id="complaint_evidence_add",
        request={"multipart/form-data": EvidenceUpload},
        responses={201: EvidenceOutput, **errors(400, 401, 403, 404)},
    )
    def post(self, request, pk):
        complaint = selectors.complaint_get(actor=request.user, pk=pk)
        data = EvidenceUpload(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        content = upload.read(evidence_files.max_file_bytes() + 1)  # over the limit is enough
        item = run_service(
            evidence_files.evidence_add,
            actor=request.user,
            complaint=complaint,
            name=upload.name or "file",
            data=content,
        )
        return Response(EvidenceOutput(item).data, status=status.HTTP_201_CREATED)


class JsonErrorsOnly(BaseContentNegotiation):
    """A download answers with the file's own type; its errors are JSON whatever
    the client accepts."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return JSONRenderer(), JSONRenderer.media_type


class EvidenceDownloadView(APIView):
    content_negotiation_class = JsonErrorsOnly

    @extend_schema(
        tags=TAGS,
        operation_id="complaint_evidence_download",
        responses={
            **{(200, kind): OpenApiTypes.BINARY for kind in evidence_files.ALLOWED_TYPES},
            **errors(401, 404),
        },
    )
    def get(self, request, pk, eid):
        complaint = selectors.complaint_get(actor=request.user, pk=pk)
        item = get_object_or_404(complaint.evidence, pk=eid)
        try:
            handle = evidence_files.evidence_path(item).open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(
            handle, as_attachment=True, filename=item.original_name, content_type=item.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response

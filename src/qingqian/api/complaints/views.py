"""The complaints resource: list, create, detail, draft edits, one endpoint per
workflow action, history and evidence.

Thin: serializers check types and turn yuan strings into fen, services decide
and write, selectors scope every read (out of scope is a 404 before anything
else is looked at).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from qingqian.accounts.models import Role
from qingqian.api.common import (
    ActionView,
    documented,
    refuse_unknown_fields,
    renames_of,
    run_service,
    uploaded,
)
from qingqian.api.complaints.serializers import (
    ACTION_INPUTS,
    TAGS,
    ComplaintCreateInput,
    ComplaintDraftEdit,
    ComplaintFilingUpload,
    ComplaintOutput,
    ComplaintPage,
    ComplaintQueueItem,
    EventOutput,
    EvidenceOutput,
    EvidenceUpload,
    VersionInput,
    camel_case,
    errors,
)
from qingqian.api.evidence import EvidenceOf, evidence_views
from qingqian.api.filtering import PAGE_PARAMETERS, filter_parameters, filtered
from qingqian.api.parsers import JSONParser
from qingqian.api.serializers import DebtorInput, paged
from qingqian.complaints import reading, selectors, services
from qingqian.complaints.evidence import evidence_add
from qingqian.complaints.filters import ComplaintFilter
from qingqian.complaints.models import (
    Complaint,
)
from qingqian.complaints.transitions import TRANSITIONS
from qingqian.parties import selectors as party_selectors
from qingqian.parties.models import Enterprise
from qingqian.parties.selectors import enterprise_list


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


# The service names its debtor's problems by the particulars' own names; here
# they are the fields of `debtor` (a kept draft's too long particulars included).
DEBTOR_RENAMES = {
    "debtor_as_entered": "debtor",
    **{name: f"debtor.{name}" for name in DebtorInput().fields},
}


def resolve_debtor(actor, value) -> Enterprise | dict | None:
    """An id names the debtor only among the enterprises this person may see (no
    probing of other records); particulars go to the service, which finds or
    registers the debtor they name."""
    if not isinstance(value, int):
        return value
    debtor = enterprise_list(actor=actor).filter(pk=value).first()
    if debtor is None:
        raise exceptions.ValidationError({"debtor": [_("No enterprise has this id.")]})
    return debtor


@transaction.atomic
def create_complaint(actor, data: ComplaintCreateInput, files=()) -> Complaint:
    """Draft, and submit when asked, with its files, in one transaction (the act
    the web's intake of a new complaint is too): a refusal writes nothing."""
    if actor.role not in TRANSITIONS["submit"].roles:  # who may submit may file
        raise PermissionDenied(_("You may not file complaints."))
    fields = dict(data.validated_data)
    submit = fields.pop("submit")
    complainant = resolve_complainant(actor, fields.pop("complainant", None))
    if "debtor" in fields:
        fields["debtor"] = resolve_debtor(actor, fields["debtor"])
    return run_service(
        services.complaint_file,
        {**renames_of(data), **DEBTOR_RENAMES},
        actor=actor,
        complainant=complainant,
        submit=submit,
        files=files,
        **fields,
    )


@transaction.atomic
def update_draft(actor, complaint: Complaint, data: ComplaintDraftEdit) -> Complaint:
    fields = dict(data.validated_data)
    if "debtor" in fields:
        fields["debtor"] = resolve_debtor(actor, fields["debtor"])
    return run_service(
        services.complaint_update_draft,
        {**renames_of(data), **DEBTOR_RENAMES},
        actor=actor,
        complaint=complaint,
        **fields,
    )


def detail(request, complaint: Complaint, code: int = status.HTTP_200_OK) -> Response:
    """The complaint as this person may see it (after an action it may have left
    their scope, e.g. a returned transfer: they still see the result of their act)."""
    view = reading.complaint_view_for(actor=request.user, complaint=complaint)
    return Response(ComplaintOutput(complaint, context={"view": view}).data, status=code)


# --- views ------------------------------------------------------------------------


def filing_parts(request) -> tuple[dict, list]:
    """The complaint and its files, from a JSON body or a multipart one."""
    if not request.content_type.startswith("multipart/form-data"):
        return request.data, []
    parts = ComplaintFilingUpload(
        data={
            "complaint": request.data.get("complaint"),
            "evidence": request.FILES.getlist("evidence"),
        }
    )
    parts.is_valid(raise_exception=True)
    files = [uploaded(upload) for upload in parts.validated_data.get("evidence", [])]
    return parts.validated_data["complaint"], files


class ComplaintListView(APIView):
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        tags=TAGS,
        operation_id="complaint_list",
        parameters=[*filter_parameters(ComplaintFilter), *PAGE_PARAMETERS],
        responses={200: ComplaintPage, **errors(400, 401, 404)},
    )
    def get(self, request):
        complaints = filtered(
            request, ComplaintFilter, selectors.complaint_list(actor=request.user)
        )
        return paged(request, self, complaints, ComplaintQueueItem)

    @extend_schema(
        tags=TAGS,
        operation_id="complaint_create",
        request={
            "application/json": ComplaintCreateInput,
            "multipart/form-data": ComplaintFilingUpload,
        },
        responses={201: ComplaintOutput, **errors(400, 401, 403)},
        description=(
            "File a complaint: a draft, or (`submit`: true) a submission. To file it with "
            "its evidence files in the same act, send multipart/form-data: the complaint "
            "as JSON in the `complaint` part and each file as an `evidence` part."
        ),
    )
    def post(self, request):
        body, files = filing_parts(request)
        data = ComplaintCreateInput(data=body)
        data.is_valid(raise_exception=True)
        complaint = create_complaint(request.user, data, files)
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
        request=ComplaintDraftEdit,
        responses={200: ComplaintOutput, **errors(400, 401, 403, 404, 409)},
        description="Edit a draft.",
    )
    def patch(self, request, pk):
        complaint = selectors.complaint_get(actor=request.user, pk=pk)
        data = ComplaintDraftEdit(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        refuse_unknown_fields(request, ComplaintDraftEdit)
        return detail(request, update_draft(request.user, complaint, data))


class ComplaintActionView(ActionView):
    input_class: type[serializers.Serializer] = VersionInput
    target = "complaint"
    output_class = ComplaintOutput

    def find(self, actor, pk):
        return selectors.complaint_get(actor=actor, pk=pk)

    def respond(self, request, record, complaint):
        return detail(request, complaint)


def action_view(action: str):
    """One view class per action, so that each has its own documented request body."""
    name = f"Complaint{camel_case(action)}View"
    attrs = {
        "input_class": ACTION_INPUTS[action],
        "service": staticmethod(services.ACTIONS[action]),
    }
    view_class = type(name, (ComplaintActionView,), attrs)
    return documented(
        errors,
        tags=TAGS,
        operation_id=f"complaint_{action.replace('-', '_')}",
        summary=f"Workflow action: {action}",
    )(view_class).as_view()


class ComplaintEventsView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="complaint_events",
        responses={200: EventOutput(many=True), **errors(401, 404)},
    )
    def get(self, request, pk):
        complaint = selectors.complaint_get(actor=request.user, pk=pk)
        view = reading.complaint_view_for(actor=request.user, complaint=complaint)
        return Response(EventOutput(view.history, many=True, context={"view": view}).data)


class ComplaintEvidence(EvidenceOf):
    target = "complaint"
    output_class, upload_class = EvidenceOutput, EvidenceUpload
    service = staticmethod(evidence_add)

    def find(self, actor, pk: int):
        return selectors.complaint_get(actor=actor, pk=pk)


EvidenceListView, EvidenceDownloadView = evidence_views(
    ComplaintEvidence, "complaint", errors, TAGS
)

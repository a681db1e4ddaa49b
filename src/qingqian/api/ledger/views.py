"""The ledger resource: items (keyset-paged list with totals, create, detail with
overdue interest, corrections), the debtor's confirmation, payments and their
reversal, repayment plans, legal routes, totals, bulk imports and exports.

Thin, like the complaints API: serializers check types and turn yuan strings
into fen, services decide and write, selectors scope every read (out of scope
is a 404 before anything else is looked at). A service's refusal that names
only the record's state (the item is cleared or written off, the payment is
already reversed, the proceeding already decided) is a 409 `conflict`.
"""

from __future__ import annotations

from dataclasses import fields as dataclass_fields

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from qingqian.accounts.models import Organisation
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.accounts.selectors import organisation_list
from qingqian.api.common import (
    JsonErrorsOnly,
    evidence_download,
    refuse_unknown_fields,
    renames_of,
    run_service,
    uploaded,
)
from qingqian.api.ledger.serializers import (
    TAGS,
    AsOfInput,
    ConfirmInput,
    DecideInput,
    ImportErrorsInput,
    ImportUpload,
    LedgerEvidenceOutput,
    LedgerEvidenceUpload,
    LedgerExportInput,
    LedgerFilterInput,
    LedgerImportErrorOutput,
    LedgerImportErrorPage,
    LedgerImportOutput,
    LedgerImportPage,
    LedgerItemCreateInput,
    LedgerItemOutput,
    LedgerItemUpdateInput,
    LedgerListInput,
    LedgerPage,
    LedgerTotalsOutput,
    PaymentInput,
    PaymentOutput,
    PaymentUpload,
    PlanInput,
    PlanOutput,
    ProceedingInput,
    ProceedingOutput,
    ReverseInput,
    errors,
)
from qingqian.api.parsers import JSONParser
from qingqian.api.serializers import Pagination, read_query
from qingqian.core import downloads, evidence_files
from qingqian.core.downloads import file_response
from qingqian.core.queries import MAX_ID
from qingqian.core.queue import enqueue_with_change
from qingqian.ledger import exports, importing, selectors, services
from qingqian.ledger.models import LedgerImport, LedgerItem, LegalProceeding, Payment
from qingqian.ledger.tasks import ledger_import_task
from qingqian.ledger.writers import error_report_csv
from qingqian.parties.selectors import enterprise_list

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILTER_NAMES = frozenset(field.name for field in dataclass_fields(selectors.LedgerFilter))
PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="Page number, from 1."),
    OpenApiParameter("page_size", int, description="Up to 500."),
]

# --- calling services ----------------------------------------------------------------


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = gettext_lazy("Not possible in the record's current state.")


def run_action(function, renames: dict | None = None, conflicts=frozenset({"status"}), **kwargs):
    """`run_service`, but a refusal naming only state fields is a 409 `conflict`:
    the request was well formed, the record is not in a state that allows it."""
    try:
        return run_service(function, renames, **kwargs)
    except exceptions.ValidationError as error:
        names = set(error.detail) if isinstance(error.detail, dict) else set()
        if names and names <= conflicts:
            messages = [str(message) for name in names for message in error.detail[name]]
            raise Conflict(" ".join(messages)) from error
        raise


def filters_of(data: dict) -> selectors.LedgerFilter:
    return selectors.LedgerFilter(**{k: v for k, v in data.items() if k in FILTER_NAMES})


def item_or_404(actor, pk: int) -> LedgerItem:
    return selectors.ledger_item_get(actor=actor, pk=pk)


def payment_or_404(actor, pk: int) -> Payment:
    """A payment of an item in the actor's scope."""
    if pk > MAX_ID:  # no such row, and a join lookup would overflow
        raise Http404
    item = selectors.ledger_items(actor=actor).filter(payments=pk).first()
    if item is None:
        raise Http404
    return item.payments.get(pk=pk)


def proceeding_or_404(actor, pk: int) -> LegalProceeding:
    if pk > MAX_ID:
        raise Http404
    item = selectors.ledger_items(actor=actor).filter(proceedings=pk).first()
    if item is None:
        raise Http404
    return item.proceedings.get(pk=pk)


def import_or_404(actor, pk: int) -> LedgerImport:
    return selectors.ledger_import_get(actor=actor, pk=pk)


def keeping_organisation(actor, pk: int | None) -> Organisation:
    """The actor's organisation by default, or one under it that they can see."""
    home = actor.organisation
    if pk is None:
        if home is None:
            raise exceptions.ValidationError({"owner": [_("Name the keeping organisation.")]})
        return home
    owner = organisation_list(actor=actor).filter(pk=pk).first()
    if owner is None or home is None or not owner.path.startswith(home.path):
        raise exceptions.ValidationError(
            {"owner": [_("Choose your organisation or one under it.")]}
        )
    return owner


def resolve_references(actor, fields: dict) -> dict:
    """Ids → records, each among those this person may see (no probing of others);
    every unknown id is named at once."""
    problems = {}
    try:
        fields["owner"] = keeping_organisation(actor, fields.pop("owner", None))
    except exceptions.ValidationError as error:
        problems.update(error.detail)
    visible = enterprise_list(actor=actor)
    for name in ("debtor", "creditor"):
        if isinstance(
            fields[name], dict
        ):  # a debtor's particulars: the service finds or registers it
            continue
        fields[name] = visible.filter(pk=fields[name]).first()
        if fields[name] is None:
            problems[name] = [_("No enterprise with this id in your scope.")]
    if problems:
        raise exceptions.ValidationError(problems)
    return fields


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


def after_action(item: LedgerItem, code: int = status.HTTP_200_OK) -> Response:
    """The item as it is now (the service changed its own, locked copy)."""
    item.refresh_from_db()
    return detail(item, code)


# --- items -----------------------------------------------------------------------------


class LedgerItemListView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="ledger_item_list",
        parameters=[LedgerListInput],
        responses={200: LedgerPage, **errors(400, 401)},
        description="Newest first, paged by key: pass `next_after` as `after`. The totals "
        "cover every item the filters select.",
    )
    def get(self, request):
        data = read_query(request, LedgerListInput)
        filters = filters_of(data)
        page, next_after = selectors.ledger_page(
            actor=request.user, filters=filters, after_id=data.get("after"), size=data["page_size"]
        )
        totals = selectors.ledger_totals(actor=request.user, filters=filters)
        body = {"results": page, "next_after": next_after, "totals": totals}
        return Response(LedgerPage(body).data)

    @extend_schema(
        tags=TAGS,
        operation_id="ledger_item_create",
        request=LedgerItemCreateInput,
        responses={201: LedgerItemOutput, **errors(400, 401, 403)},
        description="Ledger keepers (officials) only.",
    )
    def post(self, request):
        actor = request.user
        if not has_perm(actor, Perm.LEDGER_KEEP):
            raise PermissionDenied(_("You may not keep ledgers."))
        data = LedgerItemCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = resolve_references(actor, dict(data.validated_data))
        item = run_service(services.ledger_item_create, renames_of(data), actor=actor, **fields)
        return detail(item_or_404(actor, item.pk), status.HTTP_201_CREATED)


class LedgerItemDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="ledger_item_get",
        parameters=[AsOfInput],
        responses={200: LedgerItemOutput, **errors(400, 401, 404)},
    )
    def get(self, request, pk):
        item = item_or_404(request.user, pk)
        as_of = read_query(request, AsOfInput).get("as_of")
        return detail(item, as_of=as_of)

    @extend_schema(
        tags=TAGS,
        operation_id="ledger_item_update",
        request=LedgerItemUpdateInput,
        responses={200: LedgerItemOutput, **errors(400, 401, 403, 404)},
        description="Correct the terms; payments and disputes have their own endpoints.",
    )
    def patch(self, request, pk):
        item = item_or_404(request.user, pk)
        data = LedgerItemUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        refuse_unknown_fields(request, LedgerItemUpdateInput)
        run_service(
            services.ledger_item_update,
            renames_of(data),
            actor=request.user,
            item=item,
            **data.validated_data,
        )
        return after_action(item)


class LedgerConfirmView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="ledger_item_confirm",
        request=ConfirmInput,
        responses={200: LedgerItemOutput, **errors(400, 401, 403, 404, 409)},
        description="The debtor (or a keeper) confirms the outstanding amount, or disputes "
        "part or all of it (a dispute needs a note).",
    )
    def post(self, request, pk):
        item = item_or_404(request.user, pk)
        data = ConfirmInput(data=request.data)
        data.is_valid(raise_exception=True)
        run_action(
            services.ledger_confirm,
            renames_of(data),
            actor=request.user,
            item=item,
            **data.validated_data,
        )
        return after_action(item)


class LedgerPaymentsView(APIView):
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        tags=TAGS,
        operation_id="ledger_payment_list",
        responses={200: PaymentOutput(many=True), **errors(401, 404)},
    )
    def get(self, request, pk):
        item = item_or_404(request.user, pk)
        payments = selectors.item_payments(item)
        context = {"reversals": {p.reverses_id: p.pk for p in payments if p.reverses_id}}
        return Response(PaymentOutput(payments, many=True, context=context).data)

    @extend_schema(
        tags=TAGS,
        operation_id="ledger_payment_record",
        request={"application/json": PaymentInput, "multipart/form-data": PaymentUpload},
        responses={201: PaymentOutput, **errors(400, 401, 403, 404, 409)},
        description="The debtor or a keeper records a payment; it may not exceed what is "
        "outstanding. To record it with its evidence file in the same act, send "
        "multipart/form-data with the file as the `evidence` part.",
    )
    def post(self, request, pk):
        item = item_or_404(request.user, pk)
        data = PaymentUpload(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        upload = fields.pop("evidence", None)
        payment = run_action(
            services.payment_record,
            renames_of(data),
            actor=request.user,
            item=item,
            evidence=uploaded(upload) if upload is not None else None,
            **fields,
        )
        return Response(PaymentOutput(payment).data, status=status.HTTP_201_CREATED)


class PaymentReverseView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="ledger_payment_reverse",
        request=ReverseInput,
        responses={201: PaymentOutput, **errors(400, 401, 403, 404, 409)},
        description="Keepers undo a wrong payment with a new, negative one (the reversal, "
        "which this returns).",
    )
    def post(self, request, pk):
        payment = payment_or_404(request.user, pk)
        data = ReverseInput(data=request.data)
        data.is_valid(raise_exception=True)
        reversal = run_action(
            services.payment_reverse,
            conflicts=frozenset({"payment"}),
            actor=request.user,
            payment=payment,
            **data.validated_data,
        )
        return Response(PaymentOutput(reversal).data, status=status.HTTP_201_CREATED)


class LedgerPlansView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="ledger_plan_list",
        responses={200: PlanOutput(many=True), **errors(401, 404)},
    )
    def get(self, request, pk):
        item = item_or_404(request.user, pk)
        return Response(PlanOutput(item.plans.prefetch_related("instalments"), many=True).data)

    @extend_schema(
        tags=TAGS,
        operation_id="ledger_plan_create",
        request=PlanInput,
        responses={201: PlanOutput, **errors(400, 401, 403, 404, 409)},
        description="A repayment plan replacing the active one: instalments with increasing "
        "future dates adding up to the amount outstanding.",
    )
    def post(self, request, pk):
        item = item_or_404(request.user, pk)
        data = PlanInput(data=request.data)
        data.is_valid(raise_exception=True)
        instalments = [(i["due_on"], i["amount_fen"]) for i in data.validated_data["instalments"]]
        plan = run_action(
            services.plan_create, actor=request.user, item=item, instalments=instalments
        )
        return Response(PlanOutput(plan).data, status=status.HTTP_201_CREATED)


class LedgerProceedingsView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="ledger_proceeding_open",
        request=ProceedingInput,
        responses={201: ProceedingOutput, **errors(400, 401, 403, 404, 409)},
        description="Keepers record litigation, arbitration or mediation: the item is in "
        "legal route until decided.",
    )
    def post(self, request, pk):
        item = item_or_404(request.user, pk)
        data = ProceedingInput(data=request.data)
        data.is_valid(raise_exception=True)
        proceeding = run_action(
            services.legal_route_open, actor=request.user, item=item, **data.validated_data
        )
        return Response(ProceedingOutput(proceeding).data, status=status.HTTP_201_CREATED)


class ProceedingDecideView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="ledger_proceeding_decide",
        request=DecideInput,
        responses={200: ProceedingOutput, **errors(400, 401, 403, 404, 409)},
        description="Keepers record the outcome; a decision for the debtor writes the item off.",
    )
    def post(self, request, pk):
        proceeding = proceeding_or_404(request.user, pk)
        data = DecideInput(data=request.data)
        data.is_valid(raise_exception=True)
        proceeding = run_action(
            services.legal_route_decide,
            conflicts=frozenset({"outcome"}),
            actor=request.user,
            proceeding=proceeding,
            **data.validated_data,
        )
        return Response(ProceedingOutput(proceeding).data)


class LedgerTotalsView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="ledger_totals",
        parameters=[LedgerFilterInput],
        responses={200: LedgerTotalsOutput, **errors(400, 401)},
    )
    def get(self, request):
        filters = filters_of(read_query(request, LedgerFilterInput))
        body = {
            "totals": selectors.ledger_totals(actor=request.user, filters=filters),
            "by_province": selectors.totals_by_province(actor=request.user),
        }
        return Response(LedgerTotalsOutput(body).data)


class LedgerExportView(APIView):
    content_negotiation_class = JsonErrorsOnly

    @extend_schema(
        tags=TAGS,
        operation_id="ledger_export",
        parameters=[LedgerExportInput],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, XLSX): OpenApiTypes.BINARY,
            **errors(400, 401),
        },
        description="The filtered items in the import template's columns plus status and "
        "outstanding; text that a spreadsheet would run as a formula starts with '.",
    )
    def get(self, request):
        data = read_query(request, LedgerExportInput)
        items = selectors.ledger_items(actor=request.user, filters=filters_of(data))
        response = exports.ledger_export(items, data["format"])
        if data["format"] == "xlsx":
            response["Content-Type"] = XLSX
        return response


# --- imports -----------------------------------------------------------------------------


class LedgerImportListView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS,
        operation_id="ledger_import_list",
        parameters=PAGE_PARAMETERS,
        responses={200: LedgerImportPage, **errors(401, 404)},
    )
    def get(self, request):
        records = selectors.ledger_imports(actor=request.user).select_related("owner")
        paginator = Pagination()
        page = paginator.paginate_queryset(records, request, view=self)
        return paginator.get_paginated_response(LedgerImportOutput(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        operation_id="ledger_import_upload",
        request={"multipart/form-data": ImportUpload},
        responses={202: LedgerImportOutput, **errors(400, 401, 403)},
        description="Stores the return and queues its import (all or nothing); follow it "
        "at `ledger/imports/{id}/`.",
    )
    def post(self, request):
        actor = request.user
        if not has_perm(actor, Perm.LEDGER_KEEP):
            raise PermissionDenied(_("You may not import ledgers."))
        data = ImportUpload(data=request.data)
        data.is_valid(raise_exception=True)
        owner = keeping_organisation(actor, data.validated_data.get("owner"))
        upload = data.validated_data["file"]
        with transaction.atomic():
            record = run_service(
                importing.ledger_import_upload,
                actor=actor,
                owner=owner,
                fileobj=upload,
                original_name=upload.name or "upload",
            )
            enqueue_with_change(ledger_import_task, record.pk)
        return Response(LedgerImportOutput(record).data, status=status.HTTP_202_ACCEPTED)


class LedgerImportDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="ledger_import_get",
        responses={200: LedgerImportOutput, **errors(401, 404)},
    )
    def get(self, request, pk):
        return Response(LedgerImportOutput(import_or_404(request.user, pk)).data)


class LedgerImportErrorsView(APIView):
    content_negotiation_class = JsonErrorsOnly

    @extend_schema(
        tags=TAGS,
        operation_id="ledger_import_errors",
        parameters=[ImportErrorsInput, *PAGE_PARAMETERS],
        responses={
            (200, "application/json"): LedgerImportErrorPage,
            (200, "text/csv"): OpenApiTypes.BINARY,
            **errors(400, 401, 404),
        },
        description="The bad cells of a refused import: JSON pages, or with `format=csv` "
        "the whole report as CSV.",
    )
    def get(self, request, pk):
        record = import_or_404(request.user, pk)
        data = read_query(request, ImportErrorsInput)
        bad_cells = record.errors.all()
        if data["format"] == "csv":
            return file_response(
                error_report_csv(bad_cells.iterator(chunk_size=2000)),
                filename=f"ledger-import-{record.pk}-errors.csv",
                content_type=downloads.CSV,
            )
        paginator = Pagination()
        page = paginator.paginate_queryset(bad_cells, request, view=self)
        return paginator.get_paginated_response(LedgerImportErrorOutput(page, many=True).data)


class LedgerEvidenceListView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS,
        operation_id="ledger_evidence_list",
        responses={200: LedgerEvidenceOutput(many=True), **errors(401, 404)},
    )
    def get(self, request, pk):
        item = item_or_404(request.user, pk)
        return Response(LedgerEvidenceOutput(item.evidence.all(), many=True).data)

    @extend_schema(
        tags=TAGS,
        operation_id="ledger_evidence_add",
        request={"multipart/form-data": LedgerEvidenceUpload},
        responses={201: LedgerEvidenceOutput, **errors(400, 401, 403, 404)},
        description="A file backing a payment or what the debtor said (PDF, JPEG, PNG, OFD, "
        "XLSX or DOCX, checked by content).",
    )
    def post(self, request, pk):
        item = item_or_404(request.user, pk)
        data = LedgerEvidenceUpload(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        attached = {
            "payment": _attached(item.payments, data.validated_data.get("payment"), "payment"),
            "confirmation": _attached(
                item.confirmations, data.validated_data.get("confirmation"), "confirmation"
            ),
        }
        evidence = run_service(
            services.ledger_evidence_add,
            actor=request.user,
            item=item,
            name=upload.name or "file",
            data=upload.read(evidence_files.max_file_bytes() + 1),  # over the limit is enough
            **attached,
        )
        return Response(LedgerEvidenceOutput(evidence).data, status=status.HTTP_201_CREATED)


def _attached(records, pk, field: str):
    if pk is None:
        return None
    record = records.filter(pk=pk).first()
    if record is None:
        raise exceptions.ValidationError({field: [_("This item has no such record.")]})
    return record


class LedgerEvidenceDownloadView(APIView):
    content_negotiation_class = JsonErrorsOnly

    @extend_schema(
        tags=TAGS,
        operation_id="ledger_evidence_download",
        responses={
            **{(200, kind): OpenApiTypes.BINARY for kind in evidence_files.ALLOWED_TYPES},
            **errors(401, 404),
        },
    )
    def get(self, request, pk, eid):
        item = item_or_404(request.user, pk)
        evidence = item.evidence.filter(pk=eid).first()
        if evidence is None:
            raise Http404
        return evidence_download(evidence)

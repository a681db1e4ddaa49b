"""Supervision cases and public notices over the API.

Thin, like the complaints and ledger APIs: serializers check types and
lengths, services decide and write, selectors scope every read (out of scope
is a 404 before anything else is looked at). A refusal by the case's state
(closed, wrong kind, notice already decided) or version is a 409.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from qingqian.accounts.models import Organisation
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.accounts.selectors import organisation_list
from qingqian.api.common import ActionView, acts_documented, refuse_unknown_fields, run_service
from qingqian.api.filtering import PAGE_PARAMETERS, filter_parameters, filtered
from qingqian.api.serializers import paged, read_query
from qingqian.api.supervision.serializers import (
    TAGS,
    CaseOpenInput,
    CaseOutput,
    CasePage,
    CaseSummary,
    InterviewInput,
    LiftInput,
    NoticeDecideInput,
    NoticeDraftInput,
    NoticeFilterInput,
    NoticeOutput,
    NoticePage,
    ProgressInput,
    errors,
)
from qingqian.parties.selectors import enterprise_list
from qingqian.supervision.cases import selectors, services
from qingqian.supervision.cases.filters import CaseFilter
from qingqian.supervision.models import SupervisionCase

CASE_FILTERS = {"state": "The case's state.", "kind": "The kind of supervision."}


def case_detail(case: SupervisionCase, code: int = status.HTTP_200_OK) -> Response:
    """The case as it is now (a service changed its own, locked copy)."""
    case.refresh_from_db()
    return Response(CaseOutput(case).data, status=code)


def resolve_subject(actor, fields: dict) -> dict:
    """Ids → records, each among those this person may see (no probing of others)."""
    problems = {}
    department_id = fields.pop("department", None)
    if department_id is not None:
        fields["department"] = (
            organisation_list(actor=actor)
            .filter(pk=department_id, kind=Organisation.Kind.HANDLING_DEPARTMENT)
            .first()
        )
        if fields["department"] is None:
            problems["department"] = [_("No handling department with this id in your scope.")]
    debtor_id = fields.pop("debtor", None)
    if debtor_id is not None:
        fields["debtor"] = enterprise_list(actor=actor).filter(pk=debtor_id).first()
        if fields["debtor"] is None:
            problems["debtor"] = [_("No enterprise with this id in your scope.")]
    if problems:
        raise exceptions.ValidationError(problems)
    return fields


# --- cases -----------------------------------------------------------------------------------


class CaseListView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="supervision_case_list",
        parameters=[*filter_parameters(CaseFilter, CASE_FILTERS), *PAGE_PARAMETERS],
        responses={200: CasePage, **errors(400, 401, 404)},
        description="The cases in your scope, newest first: officials see their "
        "jurisdiction's, a debtor's representatives the cases about their enterprise.",
    )
    def get(self, request):
        cases = filtered(request, CaseFilter, selectors.case_list(actor=request.user))
        return paged(request, self, cases, CaseSummary)

    @extend_schema(
        tags=TAGS,
        operation_id="supervision_case_open",
        request=CaseOpenInput,
        responses={201: CaseOutput, **errors(400, 401, 403)},
        description="Supervisors open an interview (约谈) or a listed supervision (挂牌督办) of "
        "a jurisdiction (`region_code`), a handling department (`department`) or a debtor "
        "(`debtor`) in their scope. The deadline is `due_working_days` working days on the "
        "calendar.",
    )
    def post(self, request):
        actor = request.user
        if not has_perm(actor, Perm.SUPERVISION_MANAGE):
            raise PermissionDenied(_("You may not open supervision cases."))
        data = CaseOpenInput(data=request.data)
        data.is_valid(raise_exception=True)
        refuse_unknown_fields(request, CaseOpenInput)
        fields = resolve_subject(actor, dict(data.validated_data))
        case = run_service(services.case_open, actor=actor, **fields)
        return case_detail(case, status.HTTP_201_CREATED)


class CaseDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="supervision_case_get",
        responses={200: CaseOutput, **errors(401, 404)},
    )
    def get(self, request, pk):
        return case_detail(selectors.case_get(actor=request.user, pk=pk))


class CaseActView(ActionView):
    # An act on a case in the actor's scope.
    target = "case"
    refuses_unknown_fields = True

    def find(self, actor, pk: int):
        return selectors.case_get(actor=actor, pk=pk)


class CaseChangeView(CaseActView):
    # An act changing the case, answered with the case as it is now.
    output_class = CaseOutput

    def respond(self, request, record, result):
        return case_detail(record)


# What each act does, as the schema tells it, by operation id.
ACTS = {
    "supervision_case_progress": "The supervised organisation (or an administrator) reports "
    "progress on an open case.",
    "supervision_case_interview": "Supervisors of the opening organisation or above record "
    "the interview held: date, participants, minutes, commitments (interview cases only).",
    "supervision_case_lift": "Supervisors of the opening organisation or above lift a listed "
    "supervision (摘牌) or conclude an interview case, with a note.",
    "supervision_notice_draft": "Supervisors of the opening organisation or above draft a "
    "public notice (通报); it cites the case's figures as of now and awaits approval by "
    "another supervisor.",
    "supervision_notice_decide": "Four eyes: a supervisor other than the drafter, at the "
    "drafter's organisation or above, approves or rejects (with a note) a pending notice.",
}

act = acts_documented(errors, TAGS, ACTS)


# The acts changing a case, by the last part of their path: their input and service.
CASE_CHANGES = {
    "progress": (ProgressInput, services.case_record_progress),
    "interview": (InterviewInput, services.case_record_interview),
    "lift": (LiftInput, services.case_lift),
}


def case_change_view(name: str) -> type[CaseChangeView]:
    """The view of one act changing a case, named by the last part of its path."""
    input_class, service = CASE_CHANGES[name]
    attrs = {"input_class": input_class, "service": staticmethod(service)}
    view_class = type(f"Case{name.title()}View", (CaseChangeView,), attrs)
    return act(f"supervision_case_{name}")(view_class)


@act("supervision_notice_draft", codes=(400, 401, 403, 404))
class CaseNoticesView(CaseActView):
    input_class, output_class = NoticeDraftInput, NoticeOutput
    service = staticmethod(services.notice_draft)
    success_status = status.HTTP_201_CREATED

    @extend_schema(
        tags=TAGS,
        operation_id="supervision_case_notices",
        responses={200: NoticeOutput(many=True), **errors(401, 404)},
        description="The notices drafted from this case (officials only).",
    )
    def get(self, request, pk):
        case = selectors.case_get(actor=request.user, pk=pk)
        notices = selectors.notice_list(actor=request.user, case=case)
        return Response(NoticeOutput(notices, many=True).data)


# --- notices ---------------------------------------------------------------------------------


class NoticeListView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="supervision_notice_list",
        parameters=[NoticeFilterInput, *PAGE_PARAMETERS],
        responses={200: NoticePage, **errors(400, 401, 404)},
        description="The notices of the cases in your scope (officials only).",
    )
    def get(self, request):
        filters = read_query(request, NoticeFilterInput)
        notices = selectors.notice_list(actor=request.user, **filters)
        return paged(request, self, notices, NoticeOutput)


class NoticeDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="supervision_notice_get",
        responses={200: NoticeOutput, **errors(401, 404)},
    )
    def get(self, request, pk):
        return Response(NoticeOutput(selectors.notice_get(actor=request.user, pk=pk)).data)


@act("supervision_notice_decide")
class NoticeDecideView(ActionView):
    input_class, output_class = NoticeDecideInput, NoticeOutput
    service = staticmethod(services.notice_decide)
    target = "notice"
    refuses_unknown_fields = True

    def find(self, actor, pk: int):
        return selectors.notice_get(actor=actor, pk=pk)


def _path(route: str, view, name: str):
    return path(route, view.as_view(), name=f"api-supervision-{name}")


urlpatterns: list = [
    _path("supervision/cases/", CaseListView, "case-list"),
    _path("supervision/cases/<int:pk>/", CaseDetailView, "case"),
    *[
        _path(f"supervision/cases/<int:pk>/{name}/", case_change_view(name), f"case-{name}")
        for name in CASE_CHANGES
    ],
    _path("supervision/cases/<int:pk>/notices/", CaseNoticesView, "case-notices"),
    _path("supervision/notices/", NoticeListView, "notice-list"),
    _path("supervision/notices/<int:pk>/", NoticeDetailView, "notice"),
    _path("supervision/notices/<int:pk>/decide/", NoticeDecideView, "notice-decide"),
]

"""The organisation tree over the API: read within one's jurisdiction; added,
renamed, moved, deactivated, reactivated and relieved of its open work by the
administrators who manage it (a unit they do not manage is a 404)."""

from __future__ import annotations

from django.db import transaction
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from qingqian.accounts import selectors, services
from qingqian.accounts.models import Organisation
from qingqian.api.common import (
    ActionView,
    acts_documented,
    enum,
    refuse_unknown_fields,
    run_service,
)
from qingqian.api.serializers import (
    OrganisationOutput,
    OrganisationPage,
    OutputSerializer,
    Serializer,
    error_responses,
    paged,
)

TAGS = ["organisations"]


class OrganisationDetailOutput(OutputSerializer):
    open_work = serializers.SerializerMethodField(
        help_text="Open work of the unit per kind; null unless you manage the unit."
    )

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "region_code", "parent", "is_active", "open_work"]

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField(), allow_null=True))
    def get_open_work(self, organisation) -> dict | None:
        actor = self.context["actor"]
        if not selectors.organisation_may_manage(actor=actor, organisation=organisation):
            return None
        return selectors.organisation_open_work(organisation)


class OrganisationCreateInput(Serializer):
    name = serializers.CharField(max_length=120)
    kind = enum("OrganisationKind", Organisation.Kind)
    region_code = serializers.CharField(max_length=6)
    parent = serializers.IntegerField(help_text="The id of the unit to add below.")


class OrganisationChangeInput(Serializer):
    name = serializers.CharField(max_length=120, required=False, help_text="A new name.")
    parent = serializers.IntegerField(required=False, help_text="The id of a new parent.")


class OrganisationActInput(Serializer):
    pass  # the act needs nothing but the unit


class OrganisationTransferInput(Serializer):
    target = serializers.IntegerField(help_text="The id of the unit that takes over the work.")


class OrganisationTransferOutput(Serializer):
    moved = serializers.DictField(child=serializers.IntegerField())


ERROR_TEXT = {
    404: "No such organisation in your scope (for an act: among those you manage).",
    409: "The unit is already in that state (active or deactivated).",
}


def errors(*codes: int) -> dict:
    return error_responses(*codes, texts=ERROR_TEXT)


def holder(actor, pk: int, field: str) -> Organisation:
    """A unit the actor may put units or work under (400 naming the field if none)."""
    found = selectors.organisations_managed(actor=actor, include_own=True).filter(pk=pk).first()
    if found is None:
        raise exceptions.ValidationError(
            {field: [_("No organisation with this id in your jurisdiction.")]}
        )
    return found


def detail(request, organisation, code=status.HTTP_200_OK) -> Response:
    organisation = Organisation.objects.get(pk=organisation.pk)
    output = OrganisationDetailOutput(organisation, context={"actor": request.user})
    return Response(output.data, status=code)


class OrganisationListView(APIView):
    @extend_schema(
        operation_id="v1_organisations_list",
        tags=TAGS,
        responses={200: OrganisationPage, **errors(401)},
    )
    def get(self, request):
        organisations = selectors.organisation_list(actor=request.user)
        return paged(request, self, organisations, OrganisationOutput)

    @extend_schema(
        operation_id="v1_organisations_create",
        tags=TAGS,
        request=OrganisationCreateInput,
        responses={201: OrganisationDetailOutput, **errors(400, 401, 403)},
    )
    def post(self, request):
        data = OrganisationCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields["parent"] = holder(request.user, fields["parent"], "parent")
        organisation = run_service(services.organisation_create, actor=request.user, **fields)
        return detail(request, organisation, status.HTTP_201_CREATED)


class OrganisationDetailView(APIView):
    @extend_schema(tags=TAGS, responses={200: OrganisationDetailOutput, **errors(401, 404)})
    def get(self, request, pk):
        organisation = selectors.organisation_get(actor=request.user, pk=pk)
        return detail(request, organisation)

    @extend_schema(
        tags=TAGS,
        request=OrganisationChangeInput,
        responses={200: OrganisationDetailOutput, **errors(400, 401, 403, 404)},
    )
    @transaction.atomic
    def patch(self, request, pk):
        """Rename (`name`) and/or move under another parent (`parent`): both or neither."""
        organisation = selectors.organisation_managed_get(actor=request.user, pk=pk)
        data = OrganisationChangeInput(data=request.data)
        data.is_valid(raise_exception=True)
        refuse_unknown_fields(request, OrganisationChangeInput)
        fields = data.validated_data
        if "name" in fields:
            organisation = run_service(
                services.organisation_rename,
                actor=request.user,
                organisation=organisation,
                name=fields["name"],
            )
        if "parent" in fields:
            parent = holder(request.user, fields["parent"], "parent")
            organisation = run_service(
                services.organisation_move,
                actor=request.user,
                organisation=organisation,
                parent=parent,
            )
        return detail(request, organisation)


ACTS = {
    "v1_organisations_deactivate": "Deactivate the unit and the units below it; refused "
    "(400 naming open_work or staff) while any of them still active has open work or "
    "active staff.",
    "v1_organisations_reactivate": "Reactivate the unit (only this one).",
    "v1_organisations_transfer": "Move all open work of the unit to another active unit.",
}
act = acts_documented(errors, TAGS, ACTS)


class OrganisationActView(ActionView):
    # Acts on a unit the actor manages; anything else is a 404.
    input_class = OrganisationActInput
    target = "organisation"
    refuses_unknown_fields = True
    conflicts = frozenset({"is_active"})
    output_class = OrganisationDetailOutput

    def find(self, actor, pk):
        return selectors.organisation_managed_get(actor=actor, pk=pk)

    def respond(self, request, record, result):
        return detail(request, record)


@act("v1_organisations_deactivate")
class OrganisationDeactivateView(OrganisationActView):
    def service(self, **kwargs):
        return services.organisation_deactivate(**kwargs)


@act("v1_organisations_reactivate")
class OrganisationReactivateView(OrganisationActView):
    def service(self, **kwargs):
        return services.organisation_reactivate(**kwargs)


@act("v1_organisations_transfer")
class OrganisationTransferView(OrganisationActView):
    input_class = OrganisationTransferInput
    target = "source"
    output_class = OrganisationTransferOutput

    def post(self, request, pk):
        # The source first (404 outside), then the target among the actor's units.
        self.find(request.user, pk)
        data = OrganisationTransferInput(data=request.data)
        data.is_valid(raise_exception=True)
        self.target_unit = holder(request.user, data.validated_data["target"], "target")
        return super().post(request, pk)

    def arguments(self, data):
        return {"target": self.target_unit}

    def service(self, **kwargs):
        return services.organisation_work_transfer(**kwargs)

    def respond(self, request, record, result):
        return Response({"moved": result})


urlpatterns = [
    path("organisations/", OrganisationListView.as_view(), name="api-organisation-list"),
    path("organisations/<int:pk>/", OrganisationDetailView.as_view(), name="api-organisation"),
    path(
        "organisations/<int:pk>/deactivate/",
        OrganisationDeactivateView.as_view(),
        name="api-organisation-deactivate",
    ),
    path(
        "organisations/<int:pk>/reactivate/",
        OrganisationReactivateView.as_view(),
        name="api-organisation-reactivate",
    ),
    path(
        "organisations/<int:pk>/transfer/",
        OrganisationTransferView.as_view(),
        name="api-organisation-transfer",
    ),
]

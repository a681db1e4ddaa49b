"""Staff accounts and API tokens over the API, as on the staff pages:
administrators list, invite, change, move, deactivate and reactivate the
officials of their subtree (anyone else: 404), and import a CSV of them;
everyone lists and revokes their own tokens, administrators their staff's."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from qingqian.accounts import selectors, services
from qingqian.accounts.models import STAFF_ROLES, ApiToken, Role, User
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.accounts.services.staff_import import MAX_BYTES
from qingqian.api.common import ActionView, acts_documented, enum, run_service
from qingqian.api.filtering import PAGE_PARAMETERS
from qingqian.api.serializers import (
    OutputSerializer,
    Serializer,
    error_responses,
    page_of,
    paged,
    read_query,
)

TAGS = ["staff"]


def errors(*codes: int) -> dict:
    texts = {
        404: "No such person (or token) among yours.",
        409: "Not possible in the account's current state.",
    }
    return error_responses(*codes, texts=texts)


def role_field(**kwargs):
    return enum("OfficialRoleEnum", [r for r in Role.values if r in STAFF_ROLES], **kwargs)


class StaffOutput(OutputSerializer):
    full_name = serializers.CharField(source="first_name")
    role = role_field()
    invitation_pending = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email", "role", "organisation", "is_active"]
        fields += ["invitation_pending", "last_login"]
        read_only_fields = fields

    def get_invitation_pending(self, person) -> bool:
        return services.invitation_pending(person)


StaffPage = page_of(StaffOutput, "StaffPage")


class StaffFilterInput(Serializer):
    organisation = serializers.IntegerField(required=False, min_value=1)
    role = role_field(required=False)
    active = serializers.BooleanField(required=False, allow_null=True, default=None)


class InviteInput(Serializer):
    full_name = serializers.CharField(max_length=150)
    email = serializers.CharField(max_length=254)
    organisation = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    role = role_field()


class RoleInput(Serializer):
    role = role_field()


class MoveInput(Serializer):
    organisation = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class NoInput(Serializer):
    pass


class StaffImportUpload(Serializer):
    file = serializers.FileField()


class StaffImportOutput(Serializer):
    invited = StaffOutput(many=True)


class TokenOutput(OutputSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "prefix", "created_at", "expires_at"]
        read_only_fields = fields


def require_manager(actor) -> None:
    if not has_perm(actor, Perm.USER_MANAGE):
        raise PermissionDenied(_("Only administrators manage staff."))


def staff_organisation(actor, pk: int):
    """The organisation by id, among those where the actor may place staff."""
    organisation = selectors.staff_organisations(actor=actor).filter(pk=pk).first()
    if organisation is None:
        raise exceptions.ValidationError(
            {"organisation": [_("This organisation is not one where you may place staff.")]}
        )
    return organisation


class StaffListView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="staff_list",
        parameters=[
            OpenApiParameter("organisation", int, description="Only this organisation's staff."),
            OpenApiParameter("role", str, enum=sorted(STAFF_ROLES), description="Only this role."),
            OpenApiParameter(
                "active", bool, description="Only active (true) or deactivated (false)."
            ),
            *PAGE_PARAMETERS,
        ],
        responses={200: StaffPage, **errors(400, 401, 403)},
        description="The officials of your organisation and the organisations below it "
        "(administrators only).",
    )
    def get(self, request):
        require_manager(request.user)
        query = read_query(request, StaffFilterInput)
        staff = selectors.staff_list(actor=request.user)
        if "organisation" in query:
            staff = staff.filter(organisation_id=query["organisation"])
        if "role" in query:
            staff = staff.filter(role=query["role"])
        if query.get("active") is not None:
            staff = staff.filter(is_active=query["active"])
        return paged(request, self, staff, StaffOutput)

    @extend_schema(
        tags=TAGS,
        operation_id="staff_invite",
        request=InviteInput,
        responses={201: StaffOutput, **errors(400, 401, 403)},
        description="Create an official's account (username: the e-mail address) in an "
        "organisation of your subtree and e-mail the invitation to set a password.",
    )
    def post(self, request):
        require_manager(request.user)
        data = InviteInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields["organisation"] = staff_organisation(request.user, fields["organisation"])
        person = run_service(services.user_invite, actor=request.user, **fields)
        return Response(StaffOutput(person).data, status=status.HTTP_201_CREATED)


class StaffDetailView(APIView):
    @extend_schema(
        tags=TAGS, operation_id="staff_get", responses={200: StaffOutput, **errors(401, 404)}
    )
    def get(self, request, pk):
        return Response(StaffOutput(selectors.staff_get(actor=request.user, pk=pk)).data)


class StaffActView(ActionView):
    # An act on one of the administrator's staff, answered with the person as now.
    target = "user"
    refuses_unknown_fields = True
    output_class = StaffOutput
    conflicts = frozenset({"is_active", "invitation"})

    def find(self, actor, pk: int):
        return selectors.staff_get(actor=actor, pk=pk)


ACTS = {
    "staff_role": "Change the person's role (an official role; not your own).",
    "staff_move": "Move the person to another organisation of your subtree.",
    "staff_deactivate": "Deactivate the account (never deleted): its sessions end and its "
    "API tokens are revoked at once. 409 if it is deactivated already.",
    "staff_reactivate": "Let a deactivated account sign in again. 409 if it is active.",
    "staff_invitation_resend": "E-mail a new invitation link (the earlier ones stop "
    "working). 409 once the person has set a password.",
}
act = acts_documented(errors, TAGS, ACTS)


@act("staff_role")
class StaffRoleView(StaffActView):
    input_class = RoleInput
    service = staticmethod(services.user_role_change)


@act("staff_move")
class StaffMoveView(StaffActView):
    input_class = MoveInput
    service = staticmethod(services.user_move)

    def post(self, request, pk):
        self.actor = request.user
        return super().post(request, pk)

    def arguments(self, data: dict) -> dict:
        return {"organisation": staff_organisation(self.actor, data["organisation"])}


def _no_input_act(name: str, service) -> type[StaffActView]:
    attrs = {"input_class": NoInput, "service": staticmethod(service)}
    return act(f"staff_{name}", request=None)(
        type(f"Staff{name.title()}View", (StaffActView,), attrs)
    )


StaffDeactivateView = _no_input_act("deactivate", services.user_deactivate)
StaffReactivateView = _no_input_act("reactivate", services.user_reactivate)
StaffInvitationResendView = _no_input_act("invitation_resend", services.invitation_resend)


class StaffImportView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS,
        operation_id="staff_import",
        request={"multipart/form-data": StaffImportUpload},
        responses={201: StaffImportOutput, **errors(400, 401, 403)},
        description="Invite every official of a CSV (`name,email,organisation_id,role`; "
        "UTF-8 or GBK; at most 1 MB and 2000 rows), all or none: any wrong row answers 400 "
        "with every problem under `fields.file`, each naming its row and column.",
    )
    def post(self, request):
        require_manager(request.user)
        data = StaffImportUpload(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        people = run_service(
            services.users_import,
            actor=request.user,
            name=upload.name or "upload",
            data=upload.read(MAX_BYTES + 1),
        )
        return Response(StaffImportOutput({"invited": people}).data, status=status.HTTP_201_CREATED)


class TokenListView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="auth_token_list",
        responses={200: TokenOutput(many=True), **errors(401)},
        description="Your unexpired API tokens (the key itself is never shown again).",
    )
    def get(self, request):
        return Response(TokenOutput(selectors.api_token_list(actor=request.user), many=True).data)


class TokenDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="auth_token_delete",
        responses={204: None, **errors(401, 404)},
        description="Revoke a token: your own, or (administrators) one of your staff's.",
    )
    def delete(self, request, pk):
        token = selectors.api_token_get(actor=request.user, pk=pk)
        services.api_token_revoke(actor=request.user, token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("users/", StaffListView.as_view(), name="api-user-list"),
    path("users/import/", StaffImportView.as_view(), name="api-user-import"),
    path("users/<int:pk>/", StaffDetailView.as_view(), name="api-user"),
    path("users/<int:pk>/role/", StaffRoleView.as_view(), name="api-user-role"),
    path("users/<int:pk>/move/", StaffMoveView.as_view(), name="api-user-move"),
    path("users/<int:pk>/deactivate/", StaffDeactivateView.as_view(), name="api-user-deactivate"),
    path("users/<int:pk>/reactivate/", StaffReactivateView.as_view(), name="api-user-reactivate"),
    path(
        "users/<int:pk>/invitation/",
        StaffInvitationResendView.as_view(),
        name="api-user-invitation-resend",
    ),
    path("auth/tokens/", TokenListView.as_view(), name="api-token-list"),
    path("auth/tokens/<int:pk>/", TokenDetailView.as_view(), name="api-token-detail"),
]

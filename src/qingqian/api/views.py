"""The REST API, v1. Thin: input serializers check types, services do the rest,
selectors decide what exists for the caller."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from qingqian.accounts import selectors as account_selectors
from qingqian.accounts import services as account_services
from qingqian.api import serializers as s
from qingqian.api.common import refuse_unknown_fields, run_service
from qingqian.api.filtering import filter_parameters, filtered
from qingqian.api.throttling import TokenThrottle
from qingqian.parties import selectors as party_selectors
from qingqian.parties import services as party_services
from qingqian.parties.filters import EnterpriseFilter


class SecondFactorMissing(exceptions.AuthenticationFailed):
    default_code = "otp_required"


class SecondFactorWrong(exceptions.AuthenticationFailed):
    default_code = "otp_invalid"


SIGN_IN_DESCRIPTION = """Exchange a username and password for a bearer token (valid 30 days).

**Two-factor sign-in.** For an account with two-factor sign-in the token is issued
only with its second factor in `otp`: the current code of the authenticator app,
or one unused recovery code (which this spends). Without it, or with a wrong or
expired one, the answer is 401 with the code `otp_required` or `otp_invalid` and
the reason under `fields.otp`; failed codes count towards the device's throttling,
as on the web. An official who must use two-factor sign-in but has not set it up
gets 403 (`two_factor_enrolment_required`): enrol on the web first."""


class TokenView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenThrottle]

    @extend_schema(
        description=SIGN_IN_DESCRIPTION,
        request=s.TokenRequest,
        responses={
            201: s.TokenResponse,
            **s.error_responses(
                400,
                401,
                403,
                429,
                texts={
                    401: "The username or password is wrong; or the account has two-factor "
                    "sign-in and `otp` is missing or wrong (`fields.otp`).",
                    403: "The account must use two-factor sign-in and has not set it up: "
                    "enrol on the web first.",
                },
            ),
        },
        auth=[],
    )
    def post(self, request):
        data = s.TokenRequest(data=request.data)
        data.is_valid(raise_exception=True)
        code = data.validated_data.pop("otp", "")
        user = authenticate(request._request, **data.validated_data)
        if user is None:
            raise exceptions.AuthenticationFailed(_("The username or password is wrong."))
        device = self.second_factor(user, code)
        token, key = account_services.api_token_issue(user=user, otp_device=device)
        token_type = "Bearer"  # nosec B105 # the HTTP authentication scheme, not a secret
        body = {"token": key, "token_type": token_type, "expires_at": token.expires_at}
        return Response(s.TokenResponse(body).data, status=status.HTTP_201_CREATED)

    def second_factor(self, user, code: str):
        """The device that the code in `otp` passed (None for an account without
        two-factor sign-in); refuses the request otherwise."""
        if account_selectors.enrolment_pending(user=user):
            raise exceptions.PermissionDenied(
                _(
                    "Your account must use two-factor sign-in. Turn it on on the web "
                    "(Two-factor sign-in page) first, then ask for a token with its code."
                ),
                code="two_factor_enrolment_required",
            )
        if not account_selectors.has_second_factor(user=user):
            return None
        if not code.strip():
            raise SecondFactorMissing(
                {
                    "otp": [
                        _(
                            "This account uses two-factor sign-in: send the current code "
                            "of your authenticator app, or a recovery code, in the field otp."
                        )
                    ]
                }
            )
        device = account_services.second_factor_verify(user=user, code=code)
        if device is None:
            raise SecondFactorWrong({"otp": [_("The code is wrong or has expired.")]})
        return device

    def get_authenticate_header(self, request):
        return "Bearer"


class RevokeTokenView(APIView):
    @extend_schema(request=None, responses={204: None, **s.error_responses(400, 401)})
    def post(self, request):
        if request.auth is None:
            raise exceptions.ValidationError(_("Sign in with a bearer token to revoke it."))
        account_services.api_token_revoke(actor=request.user, token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    @extend_schema(responses={200: s.MeOutput, **s.error_responses(401)})
    def get(self, request):
        return Response(s.MeOutput(request.user).data)


ENTERPRISE_FILTERS = {
    "q": "A part of the name, or a whole unified social credit code.",
    "type": "The enterprise type (`sme`, `large`...).",
}


class EnterpriseListView(APIView):
    @extend_schema(
        operation_id="v1_enterprises_list",
        parameters=filter_parameters(EnterpriseFilter, ENTERPRISE_FILTERS),
        responses={200: s.EnterprisePage, **s.error_responses(400, 401)},
    )
    def get(self, request):
        enterprises = filtered(
            request, EnterpriseFilter, party_selectors.enterprise_list(actor=request.user)
        )
        return s.paged(request, self, enterprises, s.EnterpriseOutput)

    @extend_schema(
        request=s.EnterpriseCreateInput,
        responses={201: s.EnterpriseOutput, **s.error_responses(400, 401, 403)},
    )
    def post(self, request):
        data = s.EnterpriseCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        enterprise = run_service(
            party_services.enterprise_create, actor=request.user, **data.validated_data
        )
        return Response(s.EnterpriseOutput(enterprise).data, status=status.HTTP_201_CREATED)


class EnterpriseDetailView(APIView):
    @extend_schema(responses={200: s.EnterpriseOutput, **s.error_responses(401, 404)})
    def get(self, request, pk):
        enterprise = party_selectors.enterprise_get(actor=request.user, pk=pk)
        return Response(s.EnterpriseOutput(enterprise).data)

    @extend_schema(
        request=s.EnterpriseUpdateInput,
        responses={200: s.EnterpriseOutput, **s.error_responses(400, 401, 403, 404)},
    )
    def patch(self, request, pk):
        enterprise = party_selectors.enterprise_get(actor=request.user, pk=pk)
        data = s.EnterpriseUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        refuse_unknown_fields(request, s.EnterpriseUpdateInput)
        enterprise = run_service(
            party_services.enterprise_update,
            actor=request.user,
            enterprise=enterprise,
            **data.validated_data,
        )
        return Response(s.EnterpriseOutput(enterprise).data)

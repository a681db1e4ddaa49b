"""An official who must sign in with a second factor and has none enrols first.

Signing in with the password is allowed (there is no other way to reach the
enrolment page), but until a device is confirmed the session opens nothing
else: every page sends to enrolment, and the API (with this session) refuses.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from qingqian.accounts import selectors
from qingqian.core.page_only import is_bearer_api_request

# What a session may reach before enrolling: enrolment, sign-out, the language switch.
ALLOWED_URL_NAMES = ("two-factor", "logout", "set_language")


class TwoFactorEnrolmentMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The rule is the session's; a bearer token met it when it was issued
        # (api.views.TokenView), and its requests have no session.
        if is_bearer_api_request(request):
            return self.get_response(request)
        if must_enrol_first(request) and not allowed_before_enrolment(request.path_info):
            return refuse(request)
        return self.get_response(request)


def must_enrol_first(request) -> bool:
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return False  # a session that passed a second factor has one
    return selectors.enrolment_pending(user=user)


def allowed_before_enrolment(path: str) -> bool:
    if path.startswith(settings.STATIC_URL):
        return True
    return path in {reverse(name) for name in ALLOWED_URL_NAMES}


def refuse(request):
    if request.path_info.startswith("/api/"):
        body = {
            "code": "two_factor_enrolment_required",
            "message": _(
                "Turn on two-factor sign-in on the web (Two-factor sign-in page) "
                "before using the API."
            ),
            "fields": {},
        }
        return JsonResponse(body, status=403)
    return redirect(f"{reverse('two-factor')}?{urlencode({'next': request.get_full_path()})}")

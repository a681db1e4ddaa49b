"""Sign-in (with the second step for accounts with two-factor sign-in) and sign-out."""

from axes.helpers import get_cool_off
from django.contrib.auth import authenticate
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingqian.accounts import selectors, services
from qingqian.accounts.forms import LoginForm, SecondFactorForm
from qingqian.accounts.models import User

PENDING_USER_KEY = "qingqian_pending_2fa_user"


def lockout_response(request, original_response=None, credentials=None):
    """django-axes's answer to a sign-in attempt on a locked account, in place of
    the view's: the sign-in page on the web, the API's JSON error on the API
    (whose body is JSON, so there is no form to show it in)."""
    message = _(
        "Too many failed sign-in attempts. This account is locked for 15 minutes from here."
    )
    if request.path_info.startswith("/api/"):
        body = {"code": "locked_out", "message": message, "fields": {}}
        response = JsonResponse(body, status=429)
    else:
        form = LoginForm(request.POST)
        form.add_error(None, message)
        response = render(request, "accounts/login.html", {"form": form}, status=429)
    # The refused attempt has just started the cool-off again
    # (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so all of it is left.
    response["Retry-After"] = str(int(get_cool_off(request).total_seconds()))
    return response


def login_view(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is None:
            form.add_error(None, _("The username or password is wrong."))
        elif selectors.has_second_factor(user=user):
            request.session[PENDING_USER_KEY] = user.pk
            return redirect_keeping_next(request, "login-verify")
        else:
            services.session_login(request=request, user=user)
            return redirect(safe_next(request))
    return render(request, "accounts/login.html", {"form": form})


def login_verify_view(request):
    """Second step: the code from the authenticator app, or a recovery code."""
    user = User.objects.filter(pk=request.session.get(PENDING_USER_KEY), is_active=True).first()
    if user is None:
        return redirect("login")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.second_factor_verify(user=user, code=form.cleaned_data["token"])
        if device is None:
            form.add_error("token", _("The code is wrong or has expired."))
        else:
            del request.session[PENDING_USER_KEY]
            services.session_login(request=request, user=user, otp_device=device)
            return redirect(safe_next(request))
    return render(request, "accounts/login_verify.html", {"form": form})


@require_POST
def logout_view(request):
    services.session_logout(request=request)
    return redirect("home")


def redirect_keeping_next(request, view_name):
    response = redirect(view_name)
    next_url = request.GET.get("next")
    if next_url:
        response["Location"] += "?" + urlencode({"next": next_url})
    return response


def safe_next(request) -> str:
    next_url = request.GET.get("next") or request.POST.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return "/"

"""Sign-in (with the second step for accounts with two-factor sign-in), sign-out,
two-factor set-up, recovery codes, and an administrator's reset of a lost device."""

import segno
from axes.helpers import get_cool_off
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from qingqian.accounts import selectors, services
from qingqian.accounts.forms import LoginForm, OtpTokenForm, SecondFactorForm
from qingqian.accounts.models import User
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core.forms import apply_validation_error

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
            return redirect(_safe_next(request))
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
            return redirect(_safe_next(request))
    return render(request, "accounts/login_verify.html", {"form": form})


@require_POST
def logout_view(request):
    services.session_logout(request=request)
    return redirect("home")


@login_required
def two_factor_setup_view(request):
    """Turn on TOTP: scan the QR code, confirm with one code, keep the recovery codes.
    Officials may be required to (and are sent here first); anyone else may choose to."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and "start" in request.POST:
        device = services.totp_device_start(actor=request.user)
        form = OtpTokenForm()
    elif request.method == "POST" and device is not None and form.is_valid():
        try:
            codes = services.totp_device_confirm(
                actor=request.user, device=device, token=form.cleaned_data["token"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            otp_login(request, device)  # this session has just passed the code
            messages.success(request, _("Two-factor sign-in is now on for your account."))
            return _show_recovery_codes(request, codes)
    qr_svg = segno.make(device.config_url).svg_inline(scale=4) if device else ""
    context = {
        "form": form,
        "device": device,
        "enabled": selectors.has_second_factor(user=request.user),
        "required": selectors.second_factor_required(user=request.user),
        "qr_svg": qr_svg,
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
@require_POST
def recovery_codes_view(request):
    """New recovery codes (the old ones stop working), shown once."""
    try:
        codes = services.recovery_codes_generate(actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("two-factor")
    return _show_recovery_codes(request, codes)


def _show_recovery_codes(request, codes: list[str]):
    # Rendered in the answer to the POST, never stored in clear nor cached:
    # they cannot be shown again.
    response = render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "continue_url": _safe_next(request)},
    )
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def two_factor_reset_view(request, pk):
    """An administrator clears someone's lost device; they enrol again at next sign-in."""
    person = selectors.user_get(actor=request.user, pk=pk)
    services.two_factor_reset(actor=request.user, user=person)
    messages.success(
        request,
        _("Two-factor sign-in of %(name)s is reset: they set it up again at their next sign-in.")
        % {"name": person.get_full_name() or person.username},
    )
    if person.organisation_id is not None:
        return redirect("organisation-detail", person.organisation_id)
    return redirect("home")


def redirect_keeping_next(request, view_name):
    response = redirect(view_name)
    next_url = request.GET.get("next")
    if next_url:
        response["Location"] += "?" + urlencode({"next": next_url})
    return response


def _safe_next(request) -> str:
    next_url = request.GET.get("next") or request.POST.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return "/"


@login_required
def organisation_list_view(request):
    organisations = selectors.organisation_list(actor=request.user)
    if not organisations.exists() and not request.user.is_official:
        raise PermissionDenied
    return render(request, "accounts/organisation_list.html", {"organisations": organisations})


@login_required
def organisation_detail_view(request, pk):
    organisation = selectors.organisation_get(actor=request.user, pk=pk)
    children = selectors.organisation_list(actor=request.user).filter(parent=organisation)
    may_manage_staff = has_perm(request.user, Perm.USER_MANAGE)
    staff = selectors.organisation_staff(actor=request.user, organisation=organisation)
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "children": children,
            "staff": staff if may_manage_staff else None,
        },
    )

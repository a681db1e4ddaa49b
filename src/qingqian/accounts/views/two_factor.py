"""Two-factor set-up, recovery codes, and an administrator's reset of a lost device."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from qingqian.accounts import selectors, services
from qingqian.accounts.forms import OtpTokenForm
from qingqian.accounts.views.signin import safe_next
from qingqian.core.forms import apply_validation_error


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
        {"codes": codes, "continue_url": safe_next(request)},
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

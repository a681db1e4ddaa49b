"""Passwords and invitations: setting the first password through an
invitation, changing one's own, and resetting a forgotten one by e-mail."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from qingqian.accounts import services
from qingqian.accounts.staff_forms import (
    PasswordChangeForm,
    PasswordResetRequestForm,
    SetPasswordForm,
)
from qingqian.core.client_address import client_address
from qingqian.core.forms import apply_validation_error
from qingqian.core.throttle import over_limit

# Reset requests per client address per hour, and per e-mail address: enough
# for a person who mistypes, too few to flood someone's mailbox.
RESET_REQUESTS_PER_HOUR = 5


@never_cache
def invitation_accept_view(request, uidb64, token):
    """The invitee sets a password and is signed in; an official who must use
    two-factor sign-in is then sent to enrol by the middleware, before any page."""
    user = services.invitation_user(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "accounts/link_invalid.html", {"invitation": True}, status=410)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                user=user, token=token, password=form.cleaned_data["password"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:  # the account as saved: the session keeps the new password's hash
            services.session_login(request=request, user=user)
            messages.success(request, _("Your password is set. Welcome to Qingqian."))
            return redirect("home")
    return render(
        request, "accounts/set_password.html", {"form": form, "person": user, "invitation": True}
    )


@login_required
def password_change_view(request):
    """Old and new password; this session stays signed in, the others end."""
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.password_change(
                actor=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
                keep_session=request.session.session_key,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            update_session_auth_hash(request, user)
            messages.success(
                request, _("Your password is changed. Your other sessions are signed out.")
            )
            return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})


def password_reset_request_view(request):
    """The same answer whether or not an account has the address."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        if not over_limit(
            f"password-reset:ip:{client_address(request)}", RESET_REQUESTS_PER_HOUR
        ) and not over_limit(f"password-reset:email:{email}", RESET_REQUESTS_PER_HOUR):
            services.password_reset_request(email=email)
        return render(request, "accounts/password_reset_sent.html")
    return render(request, "accounts/password_reset_request.html", {"form": form})


@never_cache
def password_reset_confirm_view(request, uidb64, token):
    user = services.password_reset_user(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "accounts/link_invalid.html", {"invitation": False}, status=410)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset(user=user, token=token, password=form.cleaned_data["password"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your password is set. Sign in with it."))
            return redirect("login")
    return render(
        request, "accounts/set_password.html", {"form": form, "person": user, "invitation": False}
    )

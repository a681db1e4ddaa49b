"""The sign-up's pages: the public form and e-mail link; the SME's own sign-up
page (phone code, licence), colleagues and closing; the intake officers' queue.
Each view parses, calls one service of portal.signup, renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from qingqian.accounts.permissions import Perm, require_perm
from qingqian.accounts.services import session_login
from qingqian.accounts.services.passwords import user_from_uid
from qingqian.core.client_address import client_address
from qingqian.core.downloads import file_response
from qingqian.core.evidence_files import evidence_dir
from qingqian.core.forms import apply_validation_error
from qingqian.core.sizeclass import list_industries
from qingqian.core.throttle import over_limit
from qingqian.portal import selectors, signup
from qingqian.portal.forms import (
    CloseForm,
    CodeForm,
    ColleagueForm,
    LicenceForm,
    RefuseForm,
    SignupForm,
)
from qingqian.portal.models import State

SIGNUPS_PER_HOUR = 10  # per client address: enough for an office, too few to flood


def signup_view(request):
    """The public sign-up form; the new account is signed in and sent to its page."""
    if request.user.is_authenticated:
        return redirect("signup-status")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if over_limit(f"signup:ip:{client_address(request)}", SIGNUPS_PER_HOUR):
            form.add_error(None, _("Too many sign-ups from your address. Try again in an hour."))
        else:
            try:
                registration = signup.registration_start(**form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                session_login(request=request, user=registration.user)
                messages.success(
                    request,
                    _("Your account is made. Verify your e-mail address and phone number."),
                )
                return redirect("signup-status")
    context = {"form": form, "industries": list_industries()}
    return render(request, "portal/signup.html", context, status=400 if form.errors else 200)


@never_cache
def email_verify_view(request, uidb64, token):
    """The e-mailed link: works signed in or out, once."""
    user = user_from_uid(uidb64)
    if user is None:
        return render(request, "portal/signup_link_invalid.html", status=410)
    try:
        signup.email_verify(user=user, token=token)
    except (ValidationError, signup.Registration.DoesNotExist):
        return render(request, "portal/signup_link_invalid.html", status=410)
    messages.success(request, _("Your e-mail address is verified."))
    return redirect("signup-status" if request.user == user else "login")


@login_required
def status_view(request):
    registration = selectors.own_registration(actor=request.user)
    if registration is None:
        raise PermissionDenied
    context = {
        "registration": registration,
        "State": State,
        "code_form": CodeForm(),
        "licence_form": LicenceForm(),
    }
    return render(request, "portal/signup_status.html", context)


def _acted(request, act, done: str):
    """Run one service of the SME's own sign-up; its message, or its refusal, on the page."""
    try:
        act()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("signup-status")


@login_required
@require_POST
def code_send_view(request):
    return _acted(
        request,
        lambda: signup.phone_code_send(actor=request.user),
        _("A code is on its way to your phone."),
    )


@login_required
@require_POST
def code_verify_view(request):
    code = request.POST.get("code", "")
    return _acted(
        request,
        lambda: signup.phone_verify(actor=request.user, code=code),
        _("Your phone number is verified."),
    )


@login_required
@require_POST
def email_resend_view(request):
    return _acted(
        request,
        lambda: signup.email_link_resend(actor=request.user),
        _("A new link is on its way to your e-mail address."),
    )


@login_required
@require_POST
def licence_view(request):
    form = LicenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the file of your business licence."))
        return redirect("signup-status")
    upload = form.cleaned_data["file"]
    return _acted(
        request,
        lambda: signup.licence_upload(actor=request.user, name=upload.name, data=upload.read()),
        _("Your licence is sent. An officer of your province checks it."),
    )


# --- the province's queue ---


@login_required
def registration_list_view(request):
    require_perm(request.user, Perm.SIGNUP_REVIEW)
    state = request.GET.get("state", State.AWAITING_REVIEW)
    if state not in State.values:
        state = State.AWAITING_REVIEW
    context = {
        "registrations": selectors.registration_list(actor=request.user, state=state)[:200],
        "state": state,
        "states": State.choices,
    }
    return render(request, "portal/registration_list.html", context)


@login_required
def registration_detail_view(request, pk):
    registration = selectors.registration_get(actor=request.user, pk=pk)
    context = {"registration": registration, "State": State, "refuse_form": RefuseForm()}
    return render(request, "portal/registration_detail.html", context)


@login_required
def registration_licence_view(request, pk):
    registration = selectors.registration_get(actor=request.user, pk=pk)
    if not registration.licence_stored_name:
        raise PermissionDenied
    handle = (evidence_dir() / registration.licence_stored_name).open("rb")
    return file_response(
        handle,
        filename=registration.licence_name,
        content_type=registration.licence_content_type,
    )


@login_required
@require_POST
def registration_approve_view(request, pk):
    registration = selectors.registration_get(actor=request.user, pk=pk)
    try:
        signup.registration_approve(actor=request.user, registration=registration)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The account now acts for %(enterprise)s.")
            % {"enterprise": registration.enterprise.name},
        )
    return redirect("registration-detail", pk=pk)


@login_required
def registration_refuse_view(request, pk):
    registration = selectors.registration_get(actor=request.user, pk=pk)
    form = RefuseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signup.registration_refuse(
                actor=request.user, registration=registration, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The sign-up is refused; the SME is told why."))
            return redirect("registration-detail", pk=pk)
    context = {"registration": registration, "State": State, "refuse_form": form}
    status = 400 if form.errors else 200
    return render(request, "portal/registration_detail.html", context, status=status)


# --- the SME's colleagues, and closing the account ---


@login_required
def colleagues_view(request):
    require_perm(request.user, Perm.COLLEAGUES_INVITE)
    if request.user.enterprise_id is None:
        raise PermissionDenied  # not bound yet: there is no enterprise to invite to
    form = ColleagueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signup.colleague_invite(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The invitation is on its way."))
            return redirect("colleagues")
    context = {"form": form, "colleagues": signup.colleagues(actor=request.user)}
    return render(request, "portal/colleagues.html", context, status=400 if form.errors else 200)


@login_required
def account_close_view(request):
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signup.account_close(actor=request.user, password=form.cleaned_data["password"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            logout(request)
            return render(request, "portal/account_closed.html")
    return render(
        request, "portal/account_close.html", {"form": form}, status=400 if form.errors else 200
    )

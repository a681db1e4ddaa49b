"""Staff management by administrators: the list of their jurisdiction's
officials, a person's page with its acts, and invitations. A person outside
the administrator's subtree does not exist here (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingqian.accounts import selectors, services
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.accounts.services.staff_import import MAX_BYTES, MAX_ROWS, template_csv
from qingqian.accounts.staff_forms import (
    InvitationForm,
    MoveForm,
    RoleForm,
    StaffFilterForm,
    StaffImportForm,
)
from qingqian.core import downloads
from qingqian.core.downloads import file_response
from qingqian.core.forms import apply_validation_error

STAFF_PER_PAGE = 50


def _require_manager(request) -> None:
    if not has_perm(request.user, Perm.USER_MANAGE):
        raise PermissionDenied


@login_required
def staff_list_view(request):
    _require_manager(request)
    organisations = selectors.staff_organisations(actor=request.user)
    form = StaffFilterForm(request.GET or None, organisations=organisations)
    staff = selectors.staff_list(actor=request.user)
    if form.is_valid():
        staff = _filtered(staff, form.cleaned_data)
    page = Paginator(staff, STAFF_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/staff_list.html", {"form": form, "page": page})


def _filtered(staff, filters: dict):
    if filters["organisation"]:
        staff = staff.filter(organisation=filters["organisation"])
    if filters["role"]:
        staff = staff.filter(role=filters["role"])
    if filters["active"]:
        staff = staff.filter(is_active=filters["active"] == "yes")
    return staff


@login_required
def staff_detail_view(request, pk, forms=None):
    """The person's page; `forms` carries a refused act's form with its errors."""
    person = selectors.staff_get(actor=request.user, pk=pk)
    organisations = selectors.staff_organisations(actor=request.user)
    forms = forms or {}
    context = {
        "person": person,
        "is_self": person.pk == request.user.pk,
        "invitation_pending": services.invitation_pending(person),
        "tokens": selectors.api_token_list(actor=request.user, owner=person),
        "role_form": forms.get("role") or RoleForm(initial={"role": person.role}),
        "move_form": forms.get("move")
        or MoveForm(organisations=organisations, initial={"organisation": person.organisation_id}),
    }
    status = 400 if forms else 200
    return render(request, "accounts/staff_detail.html", context, status=status)


@login_required
def staff_invite_view(request):
    _require_manager(request)
    organisations = selectors.staff_organisations(actor=request.user)
    initial = {"organisation": request.GET.get("organisation")}
    form = InvitationForm(request.POST or None, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.user_invite(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(email)s is invited: the invitation e-mail is on its way.")
                % {"email": person.email},
            )
            return redirect("staff-detail", person.pk)
    return render(request, "accounts/staff_invite.html", {"form": form})


def _act(request, pk, service, done: str, form_name: str | None = None, form=None, **arguments):
    """Run one act on the person (found in scope first) and come back to their page."""
    person = selectors.staff_get(actor=request.user, pk=pk)
    if form is not None and not form.is_valid():
        return staff_detail_view(request, pk, forms={form_name: form})
    try:
        service(actor=request.user, user=person, **arguments, **(form.cleaned_data if form else {}))
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
            return redirect("staff-detail", pk)
        apply_validation_error(form, error)
        return staff_detail_view(request, pk, forms={form_name: form})
    messages.success(request, done % {"name": person.get_full_name() or person.username})
    return redirect("staff-detail", pk)


@login_required
@require_POST
def staff_role_view(request, pk):
    return _act(
        request,
        pk,
        services.user_role_change,
        _("The role of %(name)s is changed."),
        "role",
        RoleForm(request.POST),
    )


@login_required
@require_POST
def staff_move_view(request, pk):
    form = MoveForm(request.POST, organisations=selectors.staff_organisations(actor=request.user))
    return _act(request, pk, services.user_move, _("%(name)s is moved."), "move", form)


@login_required
@require_POST
def staff_deactivate_view(request, pk):
    done = _("The account of %(name)s is deactivated: its sessions and API tokens have ended.")
    return _act(request, pk, services.user_deactivate, done)


@login_required
@require_POST
def staff_reactivate_view(request, pk):
    return _act(
        request, pk, services.user_reactivate, _("The account of %(name)s is active again.")
    )


@login_required
@require_POST
def staff_invitation_resend_view(request, pk):
    done = _("A new invitation is on its way to %(name)s; the earlier links no longer work.")
    return _act(request, pk, services.invitation_resend, done)


@login_required
def staff_import_view(request):
    """Upload the CSV: all rows invited, or none with every wrong row named."""
    _require_manager(request)
    form = StaffImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            people = services.users_import(
                actor=request.user, name=upload.name, data=upload.read(MAX_BYTES + 1)
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(count)d people are invited: the invitation e-mails are on their way.")
                % {"count": len(people)},
            )
            return redirect("staff-list")
    context = {
        "form": form,
        "organisations": selectors.staff_organisations(actor=request.user),
        "max_rows": MAX_ROWS,
    }
    return render(request, "accounts/staff_import.html", context)


@login_required
def staff_import_template_view(request):
    _require_manager(request)
    body = template_csv(actor=request.user).encode("utf-8-sig")  # BOM: Excel reads it as UTF-8
    return file_response(body, filename="staff-template.csv", content_type=downloads.CSV)

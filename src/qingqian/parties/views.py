from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core.exports import csv_response
from qingqian.core.forms import apply_validation_error
from qingqian.core.scoping import scope_for
from qingqian.parties import selectors, services
from qingqian.parties.filters import EnterpriseFilter
from qingqian.parties.forms import EnterpriseEditForm, EnterpriseForm, EnterpriseOwnForm
from qingqian.parties.models import Enterprise

EXPORT_COLUMNS = [
    ("uscc", gettext_lazy("unified social credit code")),
    ("name", gettext_lazy("name")),
    ("type", gettext_lazy("type")),
    ("region_code", gettext_lazy("region code")),
    ("industry", gettext_lazy("industry")),
    ("staff", gettext_lazy("staff")),
]


@login_required
def enterprise_list(request):
    filterset = EnterpriseFilter(
        request.GET, queryset=selectors.enterprise_list(actor=request.user)
    )
    enterprises = filterset.qs if filterset.is_valid() else filterset.queryset
    if request.GET.get("format") == "csv":
        return csv_response("enterprises.csv", enterprises, EXPORT_COLUMNS)
    page = Paginator(enterprises, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "parties/enterprise_list.html",
        {
            "page": page,
            "types": Enterprise.Type.choices,
            "may_create": has_perm(request.user, Perm.ENTERPRISE_CREATE),
        },
    )


@login_required
def enterprise_detail(request, pk):
    enterprise = selectors.enterprise_get(actor=request.user, pk=pk)
    return render(
        request,
        "parties/enterprise_detail.html",
        {"enterprise": enterprise, "may_edit": _edit_form_class(request.user, enterprise)},
    )


@login_required
def enterprise_create(request):
    if not has_perm(request.user, Perm.ENTERPRISE_CREATE):
        raise PermissionDenied
    form = EnterpriseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.enterprise_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Enterprise registered."))
            return redirect("enterprise-detail", pk=enterprise.pk)
    return render(request, "parties/enterprise_form.html", {"form": form, "creating": True})


@login_required
def enterprise_edit(request, pk):
    enterprise = selectors.enterprise_get(actor=request.user, pk=pk)
    form_class = _edit_form_class(request.user, enterprise)
    if form_class is None:
        raise PermissionDenied
    form = form_class(request.POST or None, instance=enterprise)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
        # The form edits an unsaved copy; the service reads the row afresh.
        enterprise.refresh_from_db()
        try:
            services.enterprise_update(actor=request.user, enterprise=enterprise, **changes)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("enterprise-detail", pk=enterprise.pk)
    return render(request, "parties/enterprise_form.html", {"form": form, "enterprise": enterprise})


def _edit_form_class(user, enterprise):
    if has_perm(user, Perm.ENTERPRISE_EDIT_ANY):
        return EnterpriseEditForm
    if has_perm(user, Perm.ENTERPRISE_EDIT_OWN) and scope_for(user).enterprise_id == enterprise.pk:
        return EnterpriseOwnForm
    return None

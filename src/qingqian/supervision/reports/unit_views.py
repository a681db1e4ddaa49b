"""The national administrator's page of the reporting units: who reports, since
when, and the forms to add a unit or remove one. Reads through `units`' reads,
writes through its services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingqian.accounts.models import Organisation
from qingqian.core.forms import apply_validation_error
from qingqian.supervision.models import ReportingUnit
from qingqian.supervision.reports import units
from qingqian.supervision.reports.forms import ReportingUnitAddForm


def _require_national_admin(user) -> None:
    if not units.is_national_admin(user):
        raise PermissionDenied(_("Only the national administrator changes the reporting units."))


def _page(request, form: ReportingUnitAddForm, status: int = 200):
    return render(
        request,
        "supervision/reporting_units.html",
        {"units": units.unit_list(), "form": form},
        status=status,
    )


@login_required
def unit_list(request):
    _require_national_admin(request.user)
    if request.method != "POST":
        return _page(request, ReportingUnitAddForm(candidates=units.candidates()))
    form = ReportingUnitAddForm(request.POST, candidates=units.candidates())
    if form.is_valid():
        try:
            unit = units.reporting_unit_add(
                actor=request.user,
                organisation=Organisation.objects.get(pk=form.cleaned_data["organisation"]),
                since=form.cleaned_data["since"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("%(name)s reports from now on.") % {"name": unit.organisation.name}
            )
            return redirect("supervision:reporting-units")
    return _page(request, form, status=400)


@login_required
@require_POST
def unit_remove(request, pk):
    _require_national_admin(request.user)
    unit = get_object_or_404(ReportingUnit, pk=pk)
    try:
        units.reporting_unit_remove(actor=request.user, unit=unit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(name)s no longer reports.") % {"name": unit.organisation.name}
        )
    return redirect("supervision:reporting-units")

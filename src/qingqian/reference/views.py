"""Administrators' pages for the reference data the rules read: the
working-day calendar and the one-year LPR. Every change goes through the
audited services in reference.services."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core import selectors, workdays
from qingqian.core.forms import apply_validation_error
from qingqian.core.messages import schedule_problem_label
from qingqian.reference.forms import CalendarDayForm, CalendarImportForm, LprRateForm
from qingqian.reference.services.calendar import (
    calendar_delete_day,
    calendar_import,
    calendar_set_day,
)
from qingqian.reference.services.lpr import lpr_delete_rate, lpr_set_rate


def require_reference_editor(request):
    if not has_perm(request.user, Perm.REFERENCE_EDIT):
        raise PermissionDenied


@login_required
def reference_home(request):
    require_reference_editor(request)
    known = [entry.year for entry in selectors.calendar_years()]
    this_year = timezone.localdate().year
    missing = [year for year in (this_year, this_year + 1) if year not in known]
    return render(
        request,
        "reference/reference_home.html",
        {"known_years": known, "missing_years": missing, "this_year": this_year},
    )


@login_required
def calendar_year_view(request, year):
    require_reference_editor(request)
    if not 1990 <= year <= 2100:
        raise Http404
    day_form, import_form = CalendarDayForm(), CalendarImportForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "set":
            day_form = _set_day(request, CalendarDayForm(request.POST))
        elif action == "delete":
            _delete_day(request)
        elif action == "import":
            import_form = _import(request, CalendarImportForm(request.POST, request.FILES))
        if not (day_form.errors or import_form.errors):
            return redirect("reference-calendar", year=year)
    return render(
        request,
        "reference/calendar_year.html",
        {
            "year": year,
            "entry": selectors.calendar_year(year),
            "days": selectors.calendar_days(year),
            "day_form": day_form,
            "import_form": import_form,
        },
    )


def _set_day(request, form):
    if form.is_valid():
        try:
            calendar_set_day(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Calendar updated; deadlines are computed from it."))
    return form


def _delete_day(request):
    try:
        calendar_delete_day(actor=request.user, date=date.fromisoformat(request.POST["date"]))
    except (KeyError, ValueError, ValidationError):
        messages.error(request, _("That day could not be removed."))
    else:
        messages.success(request, _("Calendar updated; deadlines are computed from it."))


def _import(request, form):
    if form.is_valid():
        try:
            days = workdays.parse_schedule_csv(form.cleaned_data["file"])
            years = calendar_import(actor=request.user, year_rows=days, source="upload")
        except workdays.ScheduleError as error:
            for problem in error.problems:
                form.add_error("file", schedule_problem_label(problem))
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            messages.success(
                request,
                _("Schedule imported: %(years)s.")
                % {"years": ", ".join(map(str, sorted(years))) or "—"},
            )
    return form


@login_required
def lpr_view(request):
    require_reference_editor(request)
    form = LprRateForm()
    if request.method == "POST" and request.POST.get("action") == "delete":
        try:
            lpr_delete_rate(
                actor=request.user,
                effective_from=date.fromisoformat(request.POST["effective_from"]),
            )
        except (KeyError, ValueError, ValidationError):
            messages.error(request, _("That rate could not be removed."))
        return redirect("reference-lpr")
    if request.method == "POST":
        form = LprRateForm(request.POST)
        if form.is_valid():
            try:
                lpr_set_rate(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Rate saved."))
                return redirect("reference-lpr")
    return render(request, "reference/lpr.html", {"rates": selectors.lpr_rates(), "form": form})

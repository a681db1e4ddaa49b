"""HTML pages of the annual disclosures.

* the start page: for a body's representative, the periods it files in with
  its disclosure's state; for an official who reviews disclosures, the periods
  and the open flags in scope;
* the filing form (first filing or correction), prefilled from the ledger;
* one disclosure with its versions (and, for officials, its flags);
* one period for officials: filed, late and missing filers;
* one flag with the ledger items behind it, and the form that closes it.

Reads go through `selectors` (out of scope is a 404), writes through `services`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingqian.core.forms import apply_validation_error
from qingqian.core.money import to_yuan_str
from qingqian.publication.disclosures import imports, selectors, services
from qingqian.publication.disclosures.forms import (
    DisclosureForm,
    FlagCloseForm,
    ImportForm,
    PeriodForm,
)
from qingqian.publication.models import DisclosureFlag, DisclosurePeriod

FLAG_ITEMS_SHOWN = 500
FIELD_OF = {"overdue_amount_fen": "overdue_amount", "tolerance_fen": "tolerance"}


@login_required
def disclosure_home(request):
    actor = request.user
    if selectors.may_review(actor):
        return render(
            request,
            "publication/disclosures/home_official.html",
            {
                "periods": selectors.periods(),
                "flags": list(selectors.flags(actor=actor, state=DisclosureFlag.State.OPEN)[:200]),
                "sets_periods": services.may_set_periods(actor),
                "imports": imports.may_import(actor),
            },
        )
    enterprise = actor.enterprise if actor.enterprise_id else None
    if enterprise is None or not selectors.may_file_for(actor, enterprise):
        raise PermissionDenied(
            _("Disclosures are filed by the representatives of the bodies that disclose.")
        )
    filed = {d.period_id: d for d in selectors.disclosures(actor=actor)}
    rows = [(period, filed.get(period.pk)) for period in selectors.periods_for(enterprise)]
    return render(
        request,
        "publication/disclosures/home_filer.html",
        {"enterprise": enterprise, "rows": rows, "today": timezone.localdate()},
    )


def _filing_period(request, pk) -> DisclosurePeriod:
    enterprise = request.user.enterprise if request.user.enterprise_id else None
    if enterprise is None or not selectors.may_file_for(request.user, enterprise):
        raise PermissionDenied(_("Only the body's own representative files its disclosure."))
    return get_object_or_404(selectors.periods_for(enterprise), pk=pk)


@login_required
def disclosure_form(request, period_pk):
    period = _filing_period(request, period_pk)
    enterprise = request.user.enterprise
    disclosure = selectors.disclosures(actor=request.user).filter(period=period).first()
    ledger = selectors.ledger_at_year_end(enterprise_id=enterprise.pk, year=period.year)
    correcting = disclosure is not None
    if request.method == "POST":
        form = DisclosureForm(request.POST, correcting=correcting)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.disclosure_file(
                    actor=request.user,
                    period=period,
                    enterprise=enterprise,
                    has_overdue=data["has_overdue"] == "yes",
                    overdue_count=data["overdue_count"],
                    overdue_amount_fen=data["overdue_amount"],
                    explanation=data["explanation"],
                    count_reason=data["count_reason"],
                    amount_reason=data["amount_reason"],
                    correction_reason=data.get("correction_reason", ""),
                )
            except ValidationError as error:
                apply_validation_error(form, _renamed(error))
            except services.DisclosureConflict as error:
                messages.error(request, str(error))
                return redirect("disclosures:home")
            else:
                messages.success(request, _("The disclosure is filed."))
                disclosure = selectors.disclosures(actor=request.user).get(period=period)
                return redirect("disclosures:detail", pk=disclosure.pk)
        status = 400
    else:
        current = selectors.current_version(disclosure) if disclosure else None
        initial = (
            {
                "has_overdue": "yes" if current.has_overdue else "no",
                "overdue_count": current.overdue_count,
                "overdue_amount": to_yuan_str(current.overdue_amount_fen),
                "explanation": current.explanation,
                "count_reason": current.count_reason,
                "amount_reason": current.amount_reason,
            }
            if current
            else {
                "has_overdue": "yes" if ledger.has_overdue else "no",
                "overdue_count": ledger.count,
                "overdue_amount": to_yuan_str(ledger.amount_fen),
            }
        )
        form = DisclosureForm(initial=initial, correcting=correcting)
        status = 200
    return render(
        request,
        "publication/disclosures/form.html",
        {
            "period": period,
            "enterprise": enterprise,
            "ledger": ledger,
            "ledger_amount": to_yuan_str(ledger.amount_fen),
            "form": form,
            "disclosure": disclosure,
            "late": timezone.localdate() > period.due_on,
        },
        status=status,
    )


def _renamed(error: ValidationError) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {FIELD_OF.get(field, field): messages for field, messages in error.message_dict.items()}
    )


@login_required
def disclosure_detail(request, pk):
    disclosure = selectors.disclosure_get(actor=request.user, pk=pk)
    reviewer = selectors.may_review(request.user)
    return render(
        request,
        "publication/disclosures/detail.html",
        {
            "disclosure": disclosure,
            "versions": selectors.versions(disclosure),
            "flags": list(disclosure.flags.select_related("version")) if reviewer else [],
            "reviewer": reviewer,
            "may_correct": selectors.may_file_for(request.user, disclosure.enterprise),
        },
    )


@login_required
def period_detail(request, pk):
    if not selectors.may_review(request.user):
        raise Http404
    period = get_object_or_404(selectors.periods(), pk=pk)
    today = timezone.localdate()
    missing = selectors.missing_filers(actor=request.user, period=period)
    return render(
        request,
        "publication/disclosures/period.html",
        {
            "period": period,
            "filed": list(
                selectors.disclosures(actor=request.user)
                .filter(period=period)
                .order_by("region_code", "enterprise__name")[:500]
            ),
            "late": list(selectors.late_filers(actor=request.user, period=period)[:500]),
            "missing": list(missing[:500]),
            "missing_total": missing.count(),
            "due_passed": today > period.due_on,
            "today": today,
        },
    )


@login_required
def flag_detail(request, pk, *, form: FlagCloseForm | None = None, status: int = 200):
    flag = selectors.flag_get(actor=request.user, pk=pk)
    items = selectors.flag_items(flag)
    return render(
        request,
        "publication/disclosures/flag.html",
        {
            "flag": flag,
            "disclosure": flag.disclosure,
            "items": list(items[:FLAG_ITEMS_SHOWN]),
            "items_total": items.count(),
            "form": form or FlagCloseForm(),
            "may_close": flag.state == DisclosureFlag.State.OPEN,
        },
        status=status,
    )


@login_required
@require_POST
def flag_close(request, pk):
    flag = selectors.flag_get(actor=request.user, pk=pk)
    form = FlagCloseForm(request.POST)
    if form.is_valid():
        try:
            services.disclosure_flag_close(
                actor=request.user, flag=flag, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        except services.DisclosureConflict as error:
            messages.error(request, str(error))
            return redirect("disclosures:flag", pk=flag.pk)
        else:
            messages.success(request, _("The flag is closed."))
            return redirect("disclosures:flag", pk=flag.pk)
    return flag_detail(request, pk, form=form, status=400)


@login_required
def period_edit(request, pk=None):
    """The national administrator creates or changes a period (its tolerance among its rules)."""
    if not services.may_set_periods(request.user):
        raise PermissionDenied(_("Only the national administrator sets disclosure periods."))
    period = get_object_or_404(selectors.periods(), pk=pk) if pk else None
    if request.method == "POST":
        form = PeriodForm(request.POST)
        if form.is_valid():
            values = dict(form.cleaned_data)
            values["tolerance_fen"] = values.pop("tolerance")
            try:
                period = services.disclosure_period_save(
                    actor=request.user, period=period, **values
                )
            except ValidationError as error:
                apply_validation_error(form, _renamed(error))
            else:
                messages.success(request, _("The disclosure period is saved."))
                return redirect("disclosures:home")
        status = 400
    else:
        initial = (
            {name: getattr(period, name) for name in services.PERIOD_FIELDS}
            | {"tolerance": to_yuan_str(period.tolerance_fen)}
            if period
            else {"remind_before_working_days": 10, "remind_after_working_days": 5}
        )
        form = PeriodForm(initial=initial)
        status = 200
    return render(
        request,
        "publication/disclosures/period_form.html",
        {"form": form, "period": period},
        status=status,
    )


@login_required
def disclosure_import(request):
    """An SME authority imports large enterprises' disclosures filed elsewhere: all or nothing."""
    if not imports.may_import(request.user):
        raise PermissionDenied(_("Only an SME authority imports disclosures filed elsewhere."))
    problems, result, status = [], None, 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = imports.disclosures_import(
                    actor=request.user,
                    fileobj=upload.file,
                    filename=upload.name,
                    note=form.cleaned_data["note"],
                )
            except imports.ImportRefused as refused:
                problems, status = refused.problems, 400
                form.add_error(None, refused.messages[0])
            except ValidationError as error:
                apply_validation_error(form, error)
                status = 400
        else:
            status = 400
    else:
        form = ImportForm()
    return render(
        request,
        "publication/disclosures/import.html",
        {
            "form": form,
            "problems": problems[:1000],
            "problem_total": len(problems),
            "result": result,
            "header": imports.TEMPLATE_HEADER,
        },
        status=status,
    )

"""The officials' pages of typical cases: the list (with the start from a finished
complaint), drafting, one case with what masking changed and the forms of
whoever may act. Reads through `selectors` (out of scope is a 404), writes
through `services`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core.forms import apply_validation_error
from qingqian.publication.models import TypicalCase
from qingqian.publication.typical_cases import forms, masking, selectors, services

ACTION_LABELS = {
    "edit": gettext_lazy("Save the draft"),
    "review": gettext_lazy("Mark as reviewed"),
    "return": gettext_lazy("Return to the drafter"),
    "approve": gettext_lazy("Approve"),
    "publish": gettext_lazy("Publish"),
    "withdraw": gettext_lazy("Withdraw from the public site"),
}
SERVICES = {
    "edit": services.typical_case_edit,
    "review": services.typical_case_review,
    "return": services.typical_case_return,
    "approve": services.typical_case_approve,
    "publish": services.typical_case_publish,
    "withdraw": services.typical_case_withdraw,
}


def _require(request) -> None:
    if not has_perm(request.user, Perm.TYPICAL_CASE_MANAGE):
        raise PermissionDenied


@login_required
def typical_case_list(request):
    _require(request)
    cases = selectors.typical_case_list(actor=request.user)
    return render(
        request,
        "publication/typical_cases/list.html",
        {
            "cases": cases[:500],
            "total": cases.count(),
            "start": forms.StartForm(auto_id="start_%s"),
        },
    )


@login_required
def typical_case_start(request):
    """From the list's form: the finished complaint with this tracking number."""
    _require(request)
    form = forms.StartForm(request.GET, auto_id="start_%s")
    if form.is_valid():
        complaint = (
            selectors.closed_complaints(actor=request.user)
            .filter(tracking_number=form.cleaned_data["tracking_number"].strip())
            .first()
        )
        if complaint is not None:
            return redirect("typical_cases:new", complaint=complaint.pk)
        form.add_error(
            "tracking_number", _("No finished complaint you can see has this tracking number.")
        )
    cases = selectors.typical_case_list(actor=request.user)
    context = {"cases": cases[:500], "total": cases.count(), "start": form}
    return render(request, "publication/typical_cases/list.html", context, status=400)


@login_required
def typical_case_new(request, complaint):
    _require(request)
    found = get_object_or_404(
        selectors.closed_complaints(actor=request.user).select_related("complainant", "debtor"),
        pk=complaint,
    )
    if request.method == "POST":
        form = forms.DraftForm(request.POST, auto_id="draft_%s")
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = services.typical_case_draft(
                    actor=request.user,
                    complaint=found,
                    kind=data["kind"],
                    title=data["title"],
                    text=data["text"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("The typical case is drafted, masked."))
                return redirect("typical_cases:detail", pk=case.pk)
        status = 400
    else:
        masked = masking.mask(selectors.source_text(found), selectors.known_about(found))
        form = forms.DraftForm(initial={"text": masked}, auto_id="draft_%s")
        status = 200
    return render(
        request,
        "publication/typical_cases/new.html",
        {"form": form, "complaint": found},
        status=status,
    )


@login_required
def typical_case_detail(request, pk):
    _require(request)
    case = selectors.typical_case_get(actor=request.user, pk=pk)
    return render(request, "publication/typical_cases/detail.html", _context(request, case))


def _context(request, case: TypicalCase, bound: dict | None = None) -> dict:
    allowed = selectors.allowed_actions(request.user, case)
    action_forms = []
    for action in allowed:
        form = (bound or {}).get(action)
        if form is None:
            initial = {"version": case.version}
            if action == "edit":
                initial |= {"kind": case.kind, "title": case.title, "text": case.text}
            form = forms.ACTION_FORMS[action](initial=initial, auto_id=f"{action}_%s")
        action_forms.append((action, ACTION_LABELS[action], form))
    return {
        "case": case,
        "differences": masking.differences(case.source_text, case.text),
        "action_forms": action_forms,
        "own_draft": case.drafted_by_id == request.user.pk,
        "debtor": case.complaint.debtor,
    }


@require_POST
@login_required
def typical_case_act(request, pk, action):
    _require(request)
    case = selectors.typical_case_get(actor=request.user, pk=pk)
    if action not in SERVICES:
        raise Http404
    form = forms.ACTION_FORMS[action](request.POST, auto_id=f"{action}_%s")
    if form.is_valid():
        try:
            SERVICES[action](actor=request.user, case=case, **form.cleaned_data)
        except services.TypicalCaseConflict as conflict:
            messages.error(request, str(conflict))
            return redirect("typical_cases:detail", pk=case.pk)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": ACTION_LABELS[action]})
            return redirect("typical_cases:detail", pk=case.pk)
    case.refresh_from_db()
    if action not in selectors.allowed_actions(request.user, case):
        raise PermissionDenied
    context = _context(request, case, bound={action: form})
    return render(request, "publication/typical_cases/detail.html", context, status=400)

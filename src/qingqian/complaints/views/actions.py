"""The complaint pages that act: the workflow actions (a conflict keeps what
the person typed), evidence added to a complaint, and internal notes. Writes
go through `services` and `evidence`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingqian.complaints import evidence, selectors, services
from qingqian.complaints.errors import ComplaintConflict
from qingqian.complaints.forms import (
    ACTION_FORMS,
    INTAKE_ALIASES,
    EvidenceForm,
    apply_service_error,
)
from qingqian.complaints.views.detail import ACTION_LABELS, detail_context


@require_POST
@login_required
def complaint_act(request, pk, action):
    complaint = selectors.complaint_get(actor=request.user, pk=pk)
    if action not in services.ACTIONS or action == "submit":
        raise Http404
    form = ACTION_FORMS[action](request.POST, complaint=complaint, prefix=action)
    if form.is_valid():
        try:
            services.ACTIONS[action](
                actor=request.user,
                complaint=complaint,
                version=form.cleaned_data["version"],
                **form.service_kwargs(),
            )
        except ComplaintConflict as conflict:
            return _conflict(request, pk, action, form, conflict)
        except ValidationError as error:
            apply_service_error(form, error, form.aliases)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": ACTION_LABELS[action]})
            return redirect("complaint-detail", pk=complaint.pk)
    context = detail_context(request.user, complaint, bound={action: form})
    context["open_action"] = action
    return render(request, "complaints/complaint_detail.html", context, status=400)


def _conflict(request, pk, action: str, form, conflict: ComplaintConflict):
    """Someone acted first: the page as it is now, the refusal, and what this
    person typed, which is not lost: in the form again (on the current version)
    if the action is still open to them, and quoted in the refusal in any case."""
    complaint = selectors.complaint_get(actor=request.user, pk=pk)
    data = request.POST.copy()
    data[form.add_prefix("version")] = complaint.version
    again = ACTION_FORMS[action](data, complaint=complaint, prefix=action)
    context = detail_context(request.user, complaint, bound={action: again})
    context["open_action"] = action
    context["conflict"] = {"message": str(conflict), "typed": _typed_text(form)}
    return render(request, "complaints/complaint_detail.html", context, status=409)


def _typed_text(form) -> list[str]:
    return [
        value
        for name, value in form.cleaned_data.items()
        if isinstance(form.fields[name].widget, forms.Textarea) and value.strip()
    ]


# --- evidence --------------------------------------------------------------------


@require_POST
@login_required
def complaint_evidence_add(request, pk):
    complaint = selectors.complaint_get(actor=request.user, pk=pk)
    if not evidence.may_add_evidence(request.user, complaint):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        files = [(upload.name, upload.read()) for upload in form.cleaned_data["evidence"]]
        try:
            evidence.evidence_add_all(actor=request.user, complaint=complaint, files=files)
        except ValidationError as error:
            apply_service_error(form, error, INTAKE_ALIASES)
        else:
            messages.success(request, _("Evidence added."))
            return redirect("complaint-detail", pk=complaint.pk)
    context = detail_context(request.user, complaint, bound={"evidence": form})
    return render(request, "complaints/complaint_detail.html", context, status=400)


# --- internal notes --------------------------------------------------------------


@require_POST
@login_required
def complaint_note(request, pk):
    """Officials add an internal note (never shown to the SME or the debtor)."""
    complaint = selectors.complaint_get(actor=request.user, pk=pk)
    try:
        services.complaint_add_internal_note(
            actor=request.user, complaint=complaint, text=request.POST.get("text", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Internal note added."))
    return redirect("complaint-detail", pk=complaint.pk)

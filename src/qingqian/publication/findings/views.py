"""The officials' and the enterprise's pages of findings: the list, one finding
with the steps this person may take, one POST per step, and the proposal from
a ledger item, a complaint or a supervision case."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingqian.complaints import selectors as complaint_selectors
from qingqian.core.forms import apply_validation_error
from qingqian.ledger import selectors as ledger_selectors
from qingqian.publication.findings import selectors, services
from qingqian.publication.findings.forms import CreditListForm, DecideForm, TextForm
from qingqian.publication.findings.transitions import FINDING_TRANSITIONS
from qingqian.publication.models import CreditList, Finding
from qingqian.supervision.cases import selectors as case_selectors

# Each step: its service, called with the finding and the form's cleaned data.
TEXT_STEPS = {
    "review": lambda actor, finding, text: services.finding_review(
        actor=actor, finding=finding, note=text
    ),
    "state-case": lambda actor, finding, text: services.finding_state_case(
        actor=actor, finding=finding, text=text
    ),
    "drop": lambda actor, finding, text: services.finding_drop(
        actor=actor, finding=finding, reason=text
    ),
    "object": lambda actor, finding, text: services.finding_object(
        actor=actor, finding=finding, text=text
    ),
    "uphold": lambda actor, finding, text: services.finding_decide_objection(
        actor=actor, finding=finding, upheld=True, reason=text
    ),
    "withdraw": lambda actor, finding, text: services.finding_decide_objection(
        actor=actor, finding=finding, upheld=False, reason=text
    ),
    "request-repair": lambda actor, finding, text: services.finding_request_repair(
        actor=actor, finding=finding, text=text
    ),
    "repair": lambda actor, finding, text: services.finding_decide_repair(
        actor=actor, finding=finding, approved=True, reason=text
    ),
    "refuse-repair": lambda actor, finding, text: services.finding_decide_repair(
        actor=actor, finding=finding, approved=False, reason=text
    ),
}
PLAIN_STEPS = {
    "notify": services.finding_notify,
    "publish": services.finding_publish,
}


@login_required
def finding_list_view(request):
    rows = selectors.finding_list(actor=request.user)
    state = request.GET.get("state", "")
    if state in Finding.State.values:
        rows = rows.filter(state=state)
    context = {"findings": rows[:200], "state": state, "states": Finding.State.choices}
    return render(request, "publication/findings/finding_list.html", context)


@login_required
def finding_detail_view(request, pk):
    finding = get_object_or_404(selectors.finding_list(actor=request.user), pk=pk)
    return render(request, "publication/findings/finding_detail.html", _detail(request, finding))


def _detail(request, finding: Finding, **forms) -> dict:
    standing = services.standing(request.user, finding)
    steps = [
        action
        for action in FINDING_TRANSITIONS.allowed_actions(finding.state, standing or "")
        if action in TEXT_STEPS or action in PLAIN_STEPS or action == "decide"
    ]
    return {
        "finding": finding,
        "steps": steps,
        "text_steps": set(TEXT_STEPS),
        "decide_form": forms.get("decide_form") or DecideForm(),
        "text_form": forms.get("text_form") or TextForm(),
    }


@login_required
@require_POST
def finding_step_view(request, pk, action):
    finding = get_object_or_404(selectors.finding_list(actor=request.user), pk=pk)
    form = DecideForm(request.POST) if action == "decide" else TextForm(request.POST)
    if action not in TEXT_STEPS and action not in PLAIN_STEPS and action != "decide":
        raise Http404
    try:
        _take(request.user, finding, action, form)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Done."))
    return redirect("finding-detail", pk=pk)


def _take(actor, finding: Finding, action: str, form) -> None:
    if action in PLAIN_STEPS:
        PLAIN_STEPS[action](actor=actor, finding=finding)
        return
    if not form.is_valid():
        raise ValidationError([e for errors in form.errors.values() for e in errors])
    if action == "decide":
        services.finding_decide(actor=actor, finding=finding, **form.cleaned_data)
    else:
        TEXT_STEPS[action](actor, finding, form.cleaned_data["text"])


ORIGINS = {
    "ledger_item": lambda actor, pk: ledger_selectors.ledger_item_get(actor=actor, pk=pk),
    "complaint": lambda actor, pk: complaint_selectors.complaint_get(actor=actor, pk=pk),
    "case": lambda actor, pk: case_selectors.case_get(actor=actor, pk=pk),
}


@login_required
def finding_propose_view(request, origin, pk):
    if origin not in ORIGINS:
        raise Http404
    source = ORIGINS[origin](request.user, pk)
    form = TextForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            finding = services.finding_propose(
                actor=request.user, origin=source, grounds=form.cleaned_data["text"]
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("text", message)
        else:
            messages.success(request, _("The finding is proposed for legal review."))
            return redirect("finding-detail", pk=finding.pk)
    context = {"form": form, "source": source}
    return render(request, "publication/findings/finding_propose.html", context)


@login_required
def credit_lists_view(request, pk=None):
    """The lists and their numbers with their sources; the national administrator
    adds or changes one here."""
    row = get_object_or_404(CreditList, pk=pk) if pk else None
    initial = (
        {field: getattr(row, field) for field in ("code", *services.LIST_FIELDS)} if row else {}
    )
    form = CreditListForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.credit_list_save(actor=request.user, credit_list=row, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The list is saved."))
            return redirect("credit-lists")
    context = {"lists": CreditList.objects.all(), "form": form, "editing": row}
    return render(request, "publication/findings/credit_lists.html", context)

"""The pages of legal aid: one list (the SME's own requests, the legal service's
queue or the officials' overview, as the selector scopes it), the SME's new
request, one request with the steps this person may take, one POST per step."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingqian.accounts.models import Role
from qingqian.accounts.permissions import Perm, require_perm
from qingqian.core.forms import apply_validation_error
from qingqian.services.legalaid import selectors, services
from qingqian.services.legalaid.coverage import aid_coverage_set
from qingqian.services.legalaid.forms import (
    AppointmentForm,
    AssignForm,
    CoverageForm,
    DeclineForm,
    OutcomeForm,
    RateForm,
    RequestForm,
)
from qingqian.services.legalaid.transitions import AID_TRANSITIONS
from qingqian.services.models import AidRequest

# Each step: its form (None: a confirmation alone) and its service.
STEPS = {
    "accept": (None, services.aid_request_accept),
    "decline": (DeclineForm, services.aid_request_decline),
    "appointment": (AppointmentForm, services.aid_appointment_set),
    "outcome": (OutcomeForm, services.aid_outcome_record),
    "rate": (RateForm, services.aid_request_rate),
    "withdraw": (None, services.aid_request_withdraw),
    "assign": (AssignForm, services.aid_request_assign),
}


@login_required
def aid_list_view(request):
    rows = selectors.aid_request_list(actor=request.user)
    state = request.GET.get("state", "")
    if state in AidRequest.State.values:
        rows = rows.filter(state=state)
    context = {
        "requests": rows[:200],
        "state": state,
        "states": AidRequest.State.choices,
        "may_request": _may_request(request.user),
    }
    return render(request, "services/legalaid/aid_list.html", context)


def _may_request(user) -> bool:
    return user.role == Role.SME and user.enterprise_id is not None


@login_required
def aid_new_view(request):
    if not _may_request(request.user):
        raise PermissionDenied(_("Only SME users bound to their enterprise ask for legal aid."))
    actor = request.user
    form = RequestForm(
        request.POST or None,
        enterprise=actor.enterprise,
        complaints=selectors.own_complaints(actor=actor),
        ledger_items=selectors.own_ledger_items(actor=actor),
    )
    if request.method == "POST" and form.is_valid():
        try:
            aid = services.aid_request_submit(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your request is sent."))
            return redirect("legalaid-detail", pk=aid.pk)
    return render(request, "services/legalaid/aid_new.html", {"form": form})


@login_required
def aid_detail_view(request, pk):
    aid = selectors.aid_request_get(actor=request.user, pk=pk)
    return render(request, "services/legalaid/aid_detail.html", _detail(request, aid))


def _detail(request, aid: AidRequest, bound: tuple[str, object] | None = None) -> dict:
    standing = services.standing(request.user, aid) or ""
    steps = []
    for action in AID_TRANSITIONS.allowed_actions(aid.state, standing):
        if action == "rate" and aid.rating is not None:
            continue
        form = bound[1] if bound and bound[0] == action else _blank_form(action, aid)
        steps.append({"action": action, "form": form})
    return {"aid": aid, "steps": steps, "standing": standing}


def _blank_form(action: str, aid: AidRequest):
    form_class = STEPS[action][0]
    if form_class is AssignForm:
        return AssignForm(providers=selectors.legal_services_near(aid.region_code))
    return form_class() if form_class else None


@login_required
@require_POST
def aid_step_view(request, pk, action):
    aid = selectors.aid_request_get(actor=request.user, pk=pk)
    if action not in STEPS:
        raise Http404
    form_class, service = STEPS[action]
    form = _bound_form(form_class, request.POST, aid)
    if form is None or form.is_valid():
        try:
            service(actor=request.user, aid=aid, **(form.cleaned_data if form else {}))
        except ValidationError as error:
            if form is None:
                for message in error.messages:
                    messages.error(request, message)
                return redirect("legalaid-detail", pk=pk)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Done."))
            return redirect("legalaid-detail", pk=pk)
    context = _detail(request, aid, bound=(action, form))
    return render(request, "services/legalaid/aid_detail.html", context, status=400)


def _bound_form(form_class, data, aid: AidRequest):
    if form_class is None:
        return None
    if form_class is AssignForm:
        return AssignForm(data, providers=selectors.legal_services_near(aid.region_code))
    return form_class(data)


@login_required
def aid_coverage_view(request, pk=None):
    """The legal services the administrator manages, each with the regions it
    covers; one form per service sets its added regions."""
    require_perm(request.user, Perm.ORGANISATION_MANAGE)
    providers = selectors.legal_services_managed(actor=request.user)
    editing = get_object_or_404(providers, pk=pk) if pk else None
    form = CoverageForm(request.POST or None)
    if editing and request.method == "POST" and form.is_valid():
        try:
            aid_coverage_set(
                actor=request.user, provider=editing, region_codes=form.cleaned_data["region_codes"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The regions are saved."))
            return redirect("legalaid-coverage")
    context = {"providers": providers, "editing": editing, "form": form}
    return render(request, "services/legalaid/coverage.html", context)

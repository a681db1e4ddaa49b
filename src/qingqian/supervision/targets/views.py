"""Campaign target pages: the list, each target's progress by province and month,
and the national administrator's form to set, edit and close one."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingqian.complaints.forms import apply_service_error
from qingqian.core.money import to_yuan_str
from qingqian.parties.vocabulary import DEBTOR_TYPE_CHOICES
from qingqian.supervision.models import CampaignTarget
from qingqian.supervision.targets import forms, selectors, services


@login_required
def target_list(request):
    targets = selectors.campaign_targets(actor=request.user)
    context = {"targets": targets, "may_set": services.may_set_targets(request.user)}
    return render(request, "supervision/target_list.html", context)


@login_required
def target_detail(request, pk: int):
    target = selectors.campaign_target_get(actor=request.user, pk=pk)
    rows = selectors.target_progress(actor=request.user, target=target)
    context = {
        "target": target,
        "rows": [_row(target, row) for row in rows],
        "total": selectors.total_progress(rows),
        "may_set": services.may_set_targets(request.user),
        "provinces": ", ".join(_province_names(target)) or _("all provinces"),
        "types": ", ".join(_type_labels(target)) or _("all debtor types"),
    }
    return render(request, "supervision/target_detail.html", context)


@login_required
def target_new(request):
    if not services.may_set_targets(request.user):
        raise PermissionDenied
    form = forms.CampaignTargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            target = services.campaign_target_create(actor=request.user, **form.service_fields())
        except ValidationError as error:
            apply_service_error(form, error, forms.ALIASES)
        else:
            messages.success(request, _("The campaign target is set."))
            return redirect("supervision:target", pk=target.pk)
    return _form_page(request, form, None)


@login_required
def target_edit(request, pk: int):
    if not services.may_set_targets(request.user):
        raise PermissionDenied
    target = selectors.campaign_target_get(actor=request.user, pk=pk)
    initial = forms.initial_from_target(target)
    form = forms.CampaignTargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_target_edit(
                actor=request.user, target=target, **form.service_fields()
            )
        except ValidationError as error:
            apply_service_error(form, error, forms.ALIASES)
        else:
            messages.success(request, _("The campaign target is saved."))
            return redirect("supervision:target", pk=target.pk)
    return _form_page(request, form, target)


@login_required
@require_POST
def target_close(request, pk: int):
    if not services.may_set_targets(request.user):
        raise PermissionDenied
    target = selectors.campaign_target_get(actor=request.user, pk=pk)
    try:
        services.campaign_target_close(actor=request.user, target=target)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The campaign target is closed."))
    return redirect("supervision:target", pk=target.pk)


def _form_page(request, form, target: CampaignTarget | None):
    status = 400 if form.is_bound else 200
    context = {"form": form, "target": target}
    return render(request, "supervision/target_form.html", context, status=status)


def _row(target: CampaignTarget, row: selectors.ProvinceProgress) -> dict:
    """A province's months with the link to the ledger items behind its figures."""
    return {"province": row, "items_urls": _items_urls(target, row.province_code)}


def _items_urls(target: CampaignTarget, province_code: str) -> list[tuple[str, str]]:
    """(label, URL of the ledger list) of the items behind a province's figures: one
    list per debtor type when the target names several (the list filters by one)."""
    params = {"region": province_code[:2], "max_owed": to_yuan_str(target.max_owed_fen - 1)}
    if target.min_owed_fen is not None:
        params["min_owed"] = to_yuan_str(target.min_owed_fen)
    base = reverse("ledger:list") + "?"
    if not target.types:
        return [(_("items"), base + urlencode(params))]
    labels = dict(_type_pairs())
    return [
        (labels.get(kind, kind), base + urlencode({**params, "debtor_type": kind}))
        for kind in target.types
    ]


def _type_pairs():
    return [(str(kind), label) for kind, label in DEBTOR_TYPE_CHOICES]


def _type_labels(target: CampaignTarget) -> list[str]:
    labels = dict(_type_pairs())
    return [str(labels.get(kind, kind)) for kind in target.types]


def _province_names(target: CampaignTarget) -> list[str]:
    names = dict(services.target_provinces())
    return [names.get(code, code) for code in target.provinces]

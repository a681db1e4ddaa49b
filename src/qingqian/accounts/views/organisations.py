"""The organisation tree, each unit's staff, and the administrator's acts on a
unit: add a unit below, rename, move, deactivate, reactivate, transfer its work."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingqian.accounts import open_work, rules, selectors, services
from qingqian.accounts.forms import (
    OrganisationAddForm,
    OrganisationMoveForm,
    OrganisationRenameForm,
    OrganisationTransferForm,
)
from qingqian.accounts.models import Organisation
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core.forms import apply_validation_error


@login_required
def organisation_list_view(request):
    organisations = selectors.organisation_list(actor=request.user)
    may_bootstrap = selectors.may_bootstrap(actor=request.user)
    if not organisations.exists() and not (request.user.is_official or may_bootstrap):
        raise PermissionDenied
    context = {"organisations": organisations, "may_bootstrap": may_bootstrap}
    return render(request, "accounts/organisation_list.html", context)


@login_required
@require_POST
def organisations_bootstrap_view(request):
    """The national level creates the reporting units' authorities (as
    `qingqian orgs bootstrap` does); running it again adds only what is missing."""
    created, present = services.organisations_bootstrap(
        actor=request.user,
        planning_cities="planning_cities" in request.POST,
        prefectures="prefectures" in request.POST,
        xpcc="xpcc" in request.POST,
    )
    messages.success(
        request,
        _("%(created)d authorities created, %(present)d already present.")
        % {"created": len(created), "present": present},
    )
    return redirect("organisation-list")


@login_required
def organisation_detail_view(request, pk):
    organisation = selectors.organisation_get(actor=request.user, pk=pk)
    return _detail(request, organisation)


def _detail(request, organisation, bound=None, status=200):
    """The unit's page; `bound` is the one form that came back with errors."""
    actor = request.user
    children = selectors.organisation_list(actor=actor).filter(parent=organisation)
    may_manage_staff = has_perm(actor, Perm.USER_MANAGE)
    staff = selectors.organisation_staff(actor=actor, organisation=organisation)
    context = {
        "organisation": organisation,
        "children": children,
        "staff": staff if may_manage_staff else None,
        **_management(actor, organisation, bound or {}),
    }
    return render(request, "accounts/organisation_detail.html", context, status=status)


def _management(actor, organisation, bound: dict) -> dict:
    """The forms an administrator gets on this unit's page (none for others)."""
    holders = selectors.organisations_managed(actor=actor, include_own=True)
    context = {"may_add": False, "may_manage": False}
    if organisation.is_active and holders.filter(pk=organisation.pk).exists():
        context["may_add"] = True
        context["add_form"] = bound.get("add") or _add_form(organisation)
        context["regions_below"] = rules.regions_under(organisation)
        context["may_route"] = _may_route(actor, organisation)
    if selectors.organisation_may_manage(actor=actor, organisation=organisation):
        counts = selectors.organisation_open_work(organisation)
        context |= {
            "may_manage": True,
            "rename_form": bound.get("rename") or _rename_form(organisation),
            "move_form": bound.get("move") or _move_form(actor, organisation),
            "transfer_form": bound.get("transfer") or _transfer_form(actor, organisation),
            "open_work": [(k.label, counts[k.name]) for k in open_work.kinds()],
            "has_open_work": any(counts.values()),
            "state_errors": bound.get("state", []),
        }
    return context


def _may_route(actor, organisation) -> bool:
    """The routing table is linked from the authority whose administrators edit it."""
    own = actor.organisation_id == organisation.pk or actor.is_superuser
    return own and organisation.accepts_complaints


def _add_form(parent, data=None):
    return OrganisationAddForm(data, kinds=rules.kinds_under(parent))


def _rename_form(organisation, data=None):
    return OrganisationRenameForm(data, initial={"name": organisation.name})


def _move_form(actor, organisation, data=None):
    parents = selectors.organisation_parent_choices(actor=actor, organisation=organisation)
    return OrganisationMoveForm(data, parents=parents)


def _transfer_form(actor, organisation, data=None):
    targets = selectors.organisation_transfer_targets(actor=actor, organisation=organisation)
    return OrganisationTransferForm(data, targets=targets)


def _act(request, organisation, name, form, act, done):
    """Validate the form, run the service; back to the page, or the page again
    with the form's errors (nothing written)."""
    if form.is_valid():
        try:
            result = act(**form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, done)
            return redirect("organisation-detail", (result or organisation).pk)
    return _detail(request, organisation, bound={name: form}, status=400)


@login_required
@require_POST
def organisation_add_view(request, pk):
    parent = selectors.organisation_managed_get(actor=request.user, pk=pk, include_own=True)

    def add(name, kind, region_code):
        return services.organisation_create(
            actor=request.user, name=name, kind=kind, region_code=region_code, parent=parent
        )

    form = _add_form(parent, request.POST)
    return _act(request, parent, "add", form, add, _("Unit added."))


@login_required
@require_POST
def organisation_rename_view(request, pk):
    organisation = selectors.organisation_managed_get(actor=request.user, pk=pk)

    def rename(name):
        return services.organisation_rename(
            actor=request.user, organisation=organisation, name=name
        )

    form = _rename_form(organisation, request.POST)
    return _act(request, organisation, "rename", form, rename, _("Unit renamed."))


@login_required
@require_POST
def organisation_move_view(request, pk):
    organisation = selectors.organisation_managed_get(actor=request.user, pk=pk)

    def move(parent):
        return services.organisation_move(
            actor=request.user, organisation=organisation, parent=parent
        )

    form = _move_form(request.user, organisation, request.POST)
    return _act(request, organisation, "move", form, move, _("Unit moved."))


@login_required
@require_POST
def organisation_transfer_view(request, pk):
    organisation = selectors.organisation_managed_get(actor=request.user, pk=pk)

    def transfer(target):
        services.organisation_work_transfer(actor=request.user, source=organisation, target=target)

    form = _transfer_form(request.user, organisation, request.POST)
    return _act(request, organisation, "transfer", form, transfer, _("Open work transferred."))


@login_required
@require_POST
def organisation_deactivate_view(request, pk):
    return _switch(request, pk, services.organisation_deactivate, _("Unit deactivated."))


@login_required
@require_POST
def organisation_reactivate_view(request, pk):
    return _switch(request, pk, services.organisation_reactivate, _("Unit reactivated."))


def _switch(request, pk, service, done):
    organisation: Organisation = selectors.organisation_managed_get(actor=request.user, pk=pk)
    try:
        service(actor=request.user, organisation=organisation)
    except ValidationError as error:
        return _detail(request, organisation, bound={"state": error.messages}, status=400)
    messages.success(request, done)
    return redirect("organisation-detail", organisation.pk)

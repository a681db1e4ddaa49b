"""The organisation tree and each unit's staff."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from qingqian.accounts import selectors
from qingqian.accounts.permissions import Perm, has_perm


@login_required
def organisation_list_view(request):
    organisations = selectors.organisation_list(actor=request.user)
    if not organisations.exists() and not request.user.is_official:
        raise PermissionDenied
    return render(request, "accounts/organisation_list.html", {"organisations": organisations})


@login_required
def organisation_detail_view(request, pk):
    organisation = selectors.organisation_get(actor=request.user, pk=pk)
    children = selectors.organisation_list(actor=request.user).filter(parent=organisation)
    may_manage_staff = has_perm(request.user, Perm.USER_MANAGE)
    staff = selectors.organisation_staff(actor=request.user, organisation=organisation)
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "children": children,
            "staff": staff if may_manage_staff else None,
        },
    )

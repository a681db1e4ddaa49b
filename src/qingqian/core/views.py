"""Administrators' pages for the reference data the rules read."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from qingqian.accounts.permissions import Perm, has_perm


def require_reference_editor(request):
    if not has_perm(request.user, Perm.REFERENCE_EDIT):
        raise PermissionDenied


@login_required
def reference_home(request):
    require_reference_editor(request)
    return render(request, "core/reference_home.html")

"""The roles × permissions matrix, generated from the permission table so it
cannot drift from what the code allows."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from qingqian.accounts.models import Role
from qingqian.accounts.permissions import ROLE_PERMISSIONS, Perm, permission_matrix


@login_required
def roles_matrix_view(request):
    if not (request.user.is_official or request.user.is_superuser):
        raise PermissionDenied
    return render(
        request, "accounts/roles_matrix.html", roles_matrix_context(ROLE_PERMISSIONS, list(Perm))
    )


def roles_matrix_context(table, permissions) -> dict:
    """The template's context for any table: a new permission or role needs no template change."""
    return {
        "roles": [Role(role).label for role in table],
        "rows": permission_matrix(table, permissions),
    }

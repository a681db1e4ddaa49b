"""A person's own account: the way to their password, two-factor sign-in and
API tokens (listed with revoke); an administrator revokes a staff member's
token from the person's staff page through the same act."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingqian.accounts import selectors, services


@login_required
def account_view(request):
    return render(
        request,
        "accounts/account.html",
        {
            "tokens": selectors.api_token_list(actor=request.user),
            "two_factor_on": selectors.has_second_factor(user=request.user),
        },
    )


@login_required
@require_POST
def api_token_revoke_view(request, pk):
    token = selectors.api_token_get(actor=request.user, pk=pk)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The API token %(prefix)s… is revoked.") % {"prefix": token.prefix})
    if token.user_id == request.user.pk:
        return redirect("account")
    return redirect("staff-detail", token.user_id)

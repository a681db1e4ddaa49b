from django.shortcuts import render

from qingqian.accounts.permissions import Perm, has_perm
from qingqian.parties.selectors import enterprise_list


def home(request):
    """The public landing page, or the signed-in person's start page for their role."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "web/home_public.html")
    context = {
        "enterprise_count": enterprise_list(actor=user).count(),
        "own_enterprise": user.enterprise if user.enterprise_id else None,
        "may_edit_reference": has_perm(user, Perm.REFERENCE_EDIT),
    }
    return render(request, "web/home.html", context)

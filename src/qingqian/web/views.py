from csp.exceptions import CSPNonceError
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

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


def server_error(request):
    """The 500 page, like Django's own: no context processors, no database.

    Its style sheet is inline (the page must look right even when the static
    files are what failed), so it carries the request's CSP nonce.
    """
    page = loader.get_template("500.html").render({"csp_nonce": _csp_nonce(request)})
    return HttpResponseServerError(page)


def _csp_nonce(request) -> str:
    # Empty when the error happened outside the CSP middleware: the page then
    # renders unstyled rather than not at all.
    try:
        return str(request.csp_nonce)
    except (AttributeError, CSPNonceError):
        return ""

import sys

from csp.exceptions import CSPNonceError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader

from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core.sqlite_backend.busy import is_database_busy, retry_after_seconds
from qingqian.parties.selectors import enterprise_list
from qingqian.portal import views as portal_views


def home(request):
    """The public landing page, or the signed-in person's start page for their role."""
    user = request.user
    if not user.is_authenticated:
        return portal_views.home(request)
    if user.is_unbound_sme:
        return redirect("signup-status")  # its steps are all it can act on yet
    context = {
        "enterprise_count": enterprise_list(actor=user).count(),
        "own_enterprise": user.enterprise if user.enterprise_id else None,
        "may_edit_reference": has_perm(user, Perm.REFERENCE_EDIT),
    }
    return render(request, "web/home.html", context)


def server_error(request):
    """Django's handler500, for any exception not answered on the way
    (including those raised after the view, such as saving the session).
    SQLite's writer held too long is no server error: it answers 503."""
    if is_database_busy(sys.exc_info()[1]):
        return database_busy(request)
    return HttpResponseServerError(standalone_page(request, "500.html"))


def database_busy(request):
    """503 with Retry-After: nothing was written, sending again is safe."""
    response = HttpResponse(standalone_page(request, "503.html"), status=503)
    response["Retry-After"] = str(retry_after_seconds())
    return response


def standalone_page(request, template_name: str) -> str:
    """A page that must render when much has failed: no context processors, no
    database, no static files; its inline style carries the CSP nonce."""
    return loader.get_template(template_name).render({"csp_nonce": _csp_nonce(request)})


def _csp_nonce(request) -> str:
    # Empty when the error happened outside the CSP middleware: the page then
    # renders unstyled rather than not at all.
    try:
        return str(request.csp_nonce)
    except (AttributeError, CSPNonceError):
        return ""

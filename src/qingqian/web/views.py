import logging
import sys

from csp.exceptions import CSPNonceError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader

from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core import database_down, file_storage
from qingqian.core.sqlite_backend.busy import is_database_busy, retry_after_seconds
from qingqian.parties.selectors import enterprise_list
from qingqian.portal import views as portal_views

logger = logging.getLogger(__name__)


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
    (including those raised in middleware before the view, such as loading
    the session, and after it, such as saving the session). What is not the
    server's fault answers 503 (`unavailable`)."""
    response = unavailable(request, sys.exc_info()[1])
    return response or HttpResponseServerError(standalone_page(request, "500.html"))


def unavailable(request, error: BaseException | None):
    """503 with Retry-After for what is passing, not a bug, and wrote nothing:
    SQLite's writer held too long, the database out of reach, the uploads
    volume full. None for any other error."""
    if is_database_busy(error):
        return database_busy(request)
    if database_down.is_database_unavailable(error):
        logger.error("The database is out of reach: %s", error)
        return _unavailable_response(
            request,
            "503_database.html",
            "unavailable",
            database_down.MESSAGE,
            database_down.RETRY_AFTER_SECONDS,
        )
    if isinstance(error, file_storage.StorageFull):
        logger.error("The uploads volume is full: %s", error)
        return _unavailable_response(
            request,
            "503_storage.html",
            "storage_full",
            file_storage.MESSAGE,
            file_storage.RETRY_AFTER_SECONDS,
        )
    return None


def database_busy(request):
    """503 with Retry-After: nothing was written, sending again is safe."""
    response = HttpResponse(standalone_page(request, "503.html"), status=503)
    response["Retry-After"] = str(retry_after_seconds())
    return response


def _unavailable_response(request, template_name: str, code: str, message, retry_after: int):
    """The page in the reader's language, or the API's JSON error under /api/."""
    if request.path_info.startswith("/api/"):
        body = {"code": code, "message": str(message), "fields": {}}
        response = JsonResponse(body, status=503)
    else:
        response = HttpResponse(standalone_page(request, template_name), status=503)
    response["Retry-After"] = str(retry_after)
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

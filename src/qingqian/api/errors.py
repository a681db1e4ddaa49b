"""Every API error is JSON: {"code": ..., "message": ..., "fields": {name: [messages]}}.

Nested inputs name their fields with dots ("debtor.uscc")."""

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.html import strip_tags
from django.utils.safestring import SafeData
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from qingqian.complaints.errors import ComplaintConflict
from qingqian.core import database_down, file_storage
from qingqian.core.sqlite_backend.busy import BUSY_MESSAGE, is_database_busy, retry_after_seconds


def _flatten(detail) -> list[str]:
    if isinstance(detail, list):
        return [str(item) for item in detail]
    if isinstance(detail, dict):
        return [f"{key}: {msg}" for key, value in detail.items() for msg in _flatten(value)]
    return [str(detail)]


def _fields(detail: dict, prefix: str = "") -> dict[str, list[str]]:
    fields = {}
    for name, messages in detail.items():
        if isinstance(messages, dict):
            fields.update(_fields(messages, f"{prefix}{name}."))
        else:
            fields[f"{prefix}{name}"] = _flatten(messages)
    return fields


def api_fields(error: DjangoValidationError, renames: dict | None = None, prefix: str = "") -> dict:
    """A Django ValidationError as the API's fields: service field names renamed
    to the API's (amount_owed_fen → amount_owed), nested ones prefixed."""
    if not hasattr(error, "error_dict"):
        return {"non_field_errors": _plain(error.messages)}
    renames = renames or {}
    return {
        "non_field_errors" if name == "__all__" else prefix + renames.get(name, name): _plain(
            messages
        )
        for name, messages in error.message_dict.items()
    }


def _plain(messages: list) -> list[str]:
    """A message the web pages show as HTML (a link to another record) is text here."""
    return [strip_tags(m) if isinstance(m, SafeData) else str(m) for m in messages]


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _lazy("The request is too large.")
    default_code = "too_large"


def exception_handler(exc, context):
    if is_database_busy(exc):
        return _unavailable("busy", BUSY_MESSAGE, retry_after_seconds())
    if database_down.is_database_unavailable(exc):
        return _unavailable("unavailable", database_down.MESSAGE, database_down.RETRY_AFTER_SECONDS)
    if isinstance(exc, file_storage.StorageFull):
        return _unavailable("storage_full", file_storage.MESSAGE, file_storage.RETRY_AFTER_SECONDS)
    if isinstance(exc, ComplaintConflict):
        body = {"code": exc.code, "message": str(exc), "fields": {}}
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)  # the service's reason, if it gave one
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        exc = exceptions.ParseError(_("The request has too many fields or files."))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(api_fields(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        body = {
            "code": "invalid",
            "message": _("The request has invalid fields."),
            "fields": _fields(detail),
        }
    else:
        code = getattr(exc, "default_code", "error")
        # A refusal that names its field (the token's `otp`) says so under `fields` too.
        fields = _fields(exc.detail) if isinstance(exc.detail, dict) else {}
        if fields:
            message = " ".join(text for texts in fields.values() for text in texts)
        elif isinstance(exc.detail, list):
            message = "; ".join(_flatten(exc.detail))
        else:
            message = str(exc.detail)
        body = {
            "code": getattr(exc.detail, "code", None) or code,
            "message": message,
            "fields": fields,
        }
    return Response(body, status=response.status_code, headers=_kept_headers(response))


def _unavailable(code: str, message, retry_after: int) -> Response:
    """503: nothing was written; the same request may be sent again later."""
    body = {"code": code, "message": str(message), "fields": {}}
    headers = {"Retry-After": str(retry_after)}
    return Response(body, status=status.HTTP_503_SERVICE_UNAVAILABLE, headers=headers)


def _kept_headers(response) -> dict:
    """What DRF's handler said besides the body: how to authenticate (401) and
    when to come back (429)."""
    headers = {}
    if response.status_code == status.HTTP_401_UNAUTHORIZED and "WWW-Authenticate" in response:
        headers["WWW-Authenticate"] = response["WWW-Authenticate"]
    if "Retry-After" in response:
        headers["Retry-After"] = response["Retry-After"]
    return headers


@csrf_exempt  # nothing here to protect; a POST must get the same JSON 404
def not_found(request, *args, **kwargs):
    """Any other path under /api/: the API's JSON 404, never the site's HTML page."""
    body = {"code": "not_found", "message": str(exceptions.NotFound.default_detail), "fields": {}}
    return JsonResponse(body, status=status.HTTP_404_NOT_FOUND)

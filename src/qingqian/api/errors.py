"""Every API error is JSON: {"code": ..., "message": ..., "fields": {name: [messages]}}."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def _flatten(detail) -> list[str]:
    if isinstance(detail, list):
        return [str(item) for item in detail]
    if isinstance(detail, dict):
        return [f"{key}: {msg}" for key, value in detail.items() for msg in _flatten(value)]
    return [str(detail)]


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        fields = {name: _flatten(messages) for name, messages in detail.items()}
        body = {
            "code": "invalid",
            "message": _("The request has invalid fields."),
            "fields": fields,
        }
    else:
        code = getattr(exc, "default_code", "error")
        if isinstance(exc.detail, dict | list):
            message = "; ".join(_flatten(exc.detail))
        else:
            message = str(exc.detail)
        body = {"code": getattr(exc.detail, "code", None) or code, "message": message, "fields": {}}
    return Response(body, status=response.status_code, headers=_auth_headers(response))


def _auth_headers(response) -> dict:
    if response.status_code == status.HTTP_401_UNAUTHORIZED and "WWW-Authenticate" in response:
        return {"WWW-Authenticate": response["WWW-Authenticate"]}
    return {}

"""What every API resource shares: calling a service so that its refusal is a
400 naming the API's fields, refusing fields a request may not send, and
serving an evidence file with JSON errors."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer

from qingqian.api.errors import api_fields
from qingqian.core import evidence_files

# --- calling services ----------------------------------------------------------------


def renames_of(serializer: serializers.Serializer) -> dict[str, str]:
    """Service field names (amount_owed_fen) → the API's (amount_owed)."""
    return {f.source: name for name, f in serializer.fields.items() if f.source != name}


def run_service(function, renames: dict | None = None, prefix: str = "", **kwargs):
    """Run a service; its ValidationError becomes a 400 naming the API's fields."""
    try:
        return function(**kwargs)
    except DjangoValidationError as error:
        raise exceptions.ValidationError(api_fields(error, renames, prefix)) from error


def refuse_unknown_fields(request, serializer_class) -> None:
    unknown = set(request.data) - set(serializer_class().fields)
    if unknown:
        raise exceptions.ValidationError(
            {name: [_("This field cannot be changed.")] for name in sorted(unknown)}
        )


# --- evidence downloads ----------------------------------------------------------------


class JsonErrorsOnly(BaseContentNegotiation):
    """A download answers with the file's own type; its errors are JSON whatever
    the client accepts."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return JSONRenderer(), JSONRenderer.media_type


def evidence_download(evidence):
    """A stored evidence file as an attachment that no browser will run."""
    return evidence_files.evidence_response(evidence)


def uploaded(upload) -> tuple[str, bytes]:
    """An uploaded file as the plain (name, bytes) a service takes; reading one
    byte past the limit is enough for the service to refuse it as too large."""
    return upload.name or "file", upload.read(evidence_files.max_file_bytes() + 1)

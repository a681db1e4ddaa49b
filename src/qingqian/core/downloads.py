"""Every file the platform serves (evidence, notices, exports, reports, templates,
error reports, on the web and the API) is built here, so none can lack the
headers that stop a browser from running it as a page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

# A file opened by mistake in the browser runs nothing, loads nothing and gets an
# origin of its own; django-csp leaves a policy a response already has untouched.
DOWNLOAD_POLICY = "default-src 'none'; sandbox"

CSV = "text/csv; charset=utf-8"
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_response(
    body: bytes | IO[bytes] | Iterable[bytes | str],
    *,
    filename: str,
    content_type: str,
) -> HttpResponse | StreamingHttpResponse:
    """`body` as an attachment called `filename` (RFC 6266/5987: Chinese names survive):
    bytes are sent as they are, an open file is streamed and closed, any other
    iterable (a CSV writer) is streamed. Every file here is someone's records (or
    beside them), so no cache keeps a copy."""
    if isinstance(body, bytes):
        response = HttpResponse(body, content_type=content_type)
    elif hasattr(body, "read"):
        response = FileResponse(body, content_type=content_type)
    else:
        response = StreamingHttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Content-Security-Policy"] = DOWNLOAD_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

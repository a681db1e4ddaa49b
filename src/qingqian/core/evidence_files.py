"""Evidence files of every kind (complaints, ledger payments and disputes): type
checked by content, size-limited, stored outside the web root under random names,
read back only as downloads no browser will run.

Who may add or read a file is the owning app's rule; this module only stores and
serves the bytes, so that the apps share it without importing one another.
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from qingqian.core import filetypes
from qingqian.core.downloads import file_response
from qingqian.core.file_storage import write_whole

ALLOWED_TYPES = {
    filetypes.PDF: "PDF",
    filetypes.JPEG: "JPEG",
    filetypes.PNG: "PNG",
    filetypes.OFD: "OFD",
    filetypes.XLSX: "XLSX",
    filetypes.DOCX: "DOCX",
}


def max_file_bytes() -> int:
    return getattr(settings, "QINGQIAN_EVIDENCE_MAX_FILE_MB", 20) * 1024 * 1024


def max_total_bytes() -> int:
    """The most the files of one record (a complaint, a ledger item) may total."""
    return getattr(settings, "QINGQIAN_EVIDENCE_MAX_COMPLAINT_MB", 100) * 1024 * 1024


def evidence_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "evidence"


def checked_content_type(data: bytes) -> str:
    """An evidence file's real type, checked over the whole file; refuses empty,
    too large, damaged and other types."""
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    if len(data) > max_file_bytes():
        raise ValidationError(
            {"file": _("The file is larger than %(mb)s MB.") % {"mb": max_file_bytes() // 2**20}}
        )
    try:
        return filetypes.detected_type(data)
    except filetypes.Refused as refused:
        raise ValidationError({"file": refused.reason}) from refused


def stored_evidence(name: str, data: bytes, content_type: str) -> dict:
    """Write a checked file (see `write_file`) and return the fields of its
    evidence row: the name shown, where it lies, its type, size and SHA-256."""
    return {
        "original_name": filetypes.stored_filename(name, content_type),
        "stored_name": write_file(data, content_type),
        "content_type": content_type,
        "size": len(data),
        "sha256": sha256_of(data),
    }


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def evidence_payload(evidence) -> dict:
    """What an audit event records of a file added: enough to prove its bytes later."""
    return {
        "evidence": evidence.pk,
        "name": evidence.original_name,
        "size": evidence.size,
        "content_type": evidence.content_type,
        "sha256": evidence.sha256,
    }


def write_file(data: bytes, content_type: str) -> str:
    """Write an evidence file outside the web root under a random name whose
    extension is its detected type (never one the uploader chose); a full disk
    leaves no part of it (`StorageFull`)."""
    stored_name = secrets.token_hex(16) + filetypes.EXTENSIONS[content_type]
    directory = evidence_dir()
    directory.mkdir(parents=True, exist_ok=True)
    write_whole(directory / stored_name, [data])
    return stored_name


def evidence_path(evidence) -> Path:
    return evidence_dir() / evidence.stored_name


def download_name(evidence) -> str:
    """The name a stored file is served under (rows stored before names followed
    the detected type get it here too)."""
    return filetypes.stored_filename(evidence.original_name, evidence.content_type)


def evidence_response(evidence):
    """A stored evidence file (complaint or ledger) as a download no browser will run;
    `evidence` must come from the actor's scoping selector."""
    try:
        handle = evidence_path(evidence).open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return file_response(
        handle, filename=download_name(evidence), content_type=evidence.content_type
    )

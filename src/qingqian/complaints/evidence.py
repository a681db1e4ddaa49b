"""Evidence files: type checked by content, size-limited, stored outside the
web root under random names, read back only through permission-checked views."""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from qingqian.accounts.models import Role
from qingqian.complaints.models import OPEN_STATES, Complaint, Evidence, State
from qingqian.core import audit
from qingqian.core.queries import any_one

ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "application/ofd": "OFD",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
}


def max_file_bytes() -> int:
    return getattr(settings, "QINGQIAN_EVIDENCE_MAX_FILE_MB", 20) * 1024 * 1024


def max_complaint_bytes() -> int:
    return getattr(settings, "QINGQIAN_EVIDENCE_MAX_COMPLAINT_MB", 100) * 1024 * 1024


def evidence_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "evidence"


def sniff_content_type(head: bytes, data: bytes) -> str | None:
    """The type the bytes really are (the name and the browser's claim are ignored)."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return None


def _zip_kind(data: bytes) -> str | None:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        return None
    if "OFD.xml" in names:
        return "application/ofd"
    if "[Content_Types].xml" in names:
        if any(n.startswith("xl/") for n in names):
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if any(n.startswith("word/") for n in names):
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return None


def may_add_evidence(actor, complaint: Complaint) -> bool:
    if actor.role == Role.SME:
        return complaint.complainant_id == actor.enterprise_id and (
            complaint.state == State.DRAFT or complaint.state in OPEN_STATES
        )
    if actor.role == Role.DEBTOR:
        return complaint.debtor_id == actor.enterprise_id and complaint.state in OPEN_STATES
    return actor.is_official and (complaint.state == State.DRAFT or complaint.state in OPEN_STATES)


@transaction.atomic
def evidence_add(*, actor, complaint: Complaint, name: str, data: bytes) -> Evidence:
    """`complaint` must come from the actor's scoping selector."""
    if not may_add_evidence(actor, complaint):
        raise PermissionDenied(_("You may not add evidence to this complaint."))
    digest = hashlib.sha256(data).hexdigest()
    content_type = _check_upload(complaint, data, digest)
    stored_name = write_file(data)
    evidence = Evidence.objects.create(
        complaint=complaint,
        original_name=Path(name).name[:255] or "file",
        stored_name=stored_name,
        content_type=content_type,
        size=len(data),
        sha256=digest,
        uploaded_by=actor,
    )
    audit.record(
        actor=actor,
        verb="complaint.evidence-add",
        target=complaint,
        payload={
            "evidence": evidence.pk,
            "name": evidence.original_name,
            "size": evidence.size,
            "content_type": content_type,
            "sha256": digest,
        },
    )
    return evidence


def _check_upload(complaint: Complaint, data: bytes, digest: str) -> str:
    content_type = checked_content_type(data)
    same = any_one(complaint.evidence.filter(sha256=digest))
    if same is not None:
        raise ValidationError(
            {
                "file": _("This file is already attached to the complaint, as “%(name)s”.")
                % {"name": same.original_name}
            }
        )
    used = complaint.evidence.aggregate(total=Sum("size"))["total"] or 0
    if used + len(data) > max_complaint_bytes():
        raise ValidationError(
            {
                "file": _("A complaint's evidence may total %(mb)s MB at most.")
                % {"mb": max_complaint_bytes() // 2**20}
            }
        )
    return content_type


def checked_content_type(data: bytes) -> str:
    """An evidence file's real type; refuses empty, too large and other types.
    Shared by every kind of evidence (complaints, ledger payments and disputes)."""
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    if len(data) > max_file_bytes():
        raise ValidationError(
            {"file": _("The file is larger than %(mb)s MB.") % {"mb": max_file_bytes() // 2**20}}
        )
    content_type = sniff_content_type(data[:16], data)
    if content_type is None:
        raise ValidationError(
            {"file": _("Only PDF, JPEG, PNG, OFD, XLSX and DOCX files are accepted.")}
        )
    return content_type


def store_file(data: bytes) -> tuple[str, str]:
    """Write an evidence file outside the web root under a random name: (name, SHA-256)."""
    return write_file(data), hashlib.sha256(data).hexdigest()


def write_file(data: bytes) -> str:
    """Write an evidence file outside the web root under a random name."""
    stored_name = secrets.token_hex(16)
    directory = evidence_dir()
    directory.mkdir(parents=True, exist_ok=True)
    (directory / stored_name).write_bytes(data)
    return stored_name


def evidence_path(evidence) -> Path:
    return evidence_dir() / evidence.stored_name

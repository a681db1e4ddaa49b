"""Evidence files: type checked by content, size-limited, stored outside the
web root under random names, read back only through permission-checked views."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.utils.translation import gettext as _

from qingqian.accounts.models import Role
from qingqian.complaints.models import OPEN_STATES, Complaint, Evidence, State
from qingqian.core import audit, filetypes
from qingqian.core.downloads import file_response
from qingqian.core.queries import any_one

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


def max_complaint_bytes() -> int:
    return getattr(settings, "QINGQIAN_EVIDENCE_MAX_COMPLAINT_MB", 100) * 1024 * 1024


def evidence_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "evidence"


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
    stored_name = write_file(data, content_type)
    evidence = Evidence.objects.create(
        complaint=complaint,
        original_name=filetypes.stored_filename(name, content_type),
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
    """An evidence file's real type, checked over the whole file; refuses empty,
    too large, damaged and other types. Shared by every kind of evidence
    (complaints, ledger payments and disputes)."""
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


def store_file(data: bytes, content_type: str) -> tuple[str, str]:
    """Write an evidence file outside the web root under a random name: (name, SHA-256)."""
    return write_file(data, content_type), hashlib.sha256(data).hexdigest()


def write_file(data: bytes, content_type: str) -> str:
    """Write an evidence file outside the web root under a random name whose
    extension is its detected type (never one the uploader chose)."""
    stored_name = secrets.token_hex(16) + filetypes.EXTENSIONS[content_type]
    directory = evidence_dir()
    directory.mkdir(parents=True, exist_ok=True)
    (directory / stored_name).write_bytes(data)
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

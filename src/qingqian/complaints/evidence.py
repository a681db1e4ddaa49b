"""A complaint's evidence: who may add a file, and the checks a complaint adds
(no duplicate, a total per complaint) to those of every evidence file
(core.evidence_files: type by content, size, storage outside the web root)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from qingqian.accounts.models import Role
from qingqian.complaints import verbs
from qingqian.complaints.models import OPEN_STATES, Complaint, Evidence, State
from qingqian.core import audit
from qingqian.core.evidence_files import (
    checked_content_type,
    evidence_path,
    evidence_payload,
    max_total_bytes,
    sha256_of,
    stored_evidence,
)
from qingqian.core.file_storage import StorageFull
from qingqian.core.queries import any_one


def may_add_evidence(actor, complaint: Complaint) -> bool:
    if actor.role == Role.SME and actor.is_unbound_sme:
        return complaint.state == State.DRAFT and complaint.created_by_id == actor.pk
    if actor.role == Role.SME:
        return complaint.complainant_id == actor.enterprise_id and (
            complaint.state == State.DRAFT or complaint.state in OPEN_STATES
        )
    if actor.role == Role.DEBTOR:
        return complaint.debtor_id == actor.enterprise_id and complaint.state in OPEN_STATES
    return actor.is_official and (complaint.state == State.DRAFT or complaint.state in OPEN_STATES)


EvidenceFile = tuple[str, bytes]  # an uploaded file as plain values: (name, content)


@transaction.atomic
def evidence_add_all(
    *, actor, complaint: Complaint, files: Sequence[EvidenceFile]
) -> list[Evidence]:
    """Several files in one go, each through `evidence_add`: every refused file is
    reported by its name, and then none is kept (rows nor stored bytes)."""
    added, problems = [], []
    for name, data in files:
        try:
            added.append(evidence_add(actor=actor, complaint=complaint, name=name, data=data))
        except ValidationError as error:
            problems += [f"{name}: {message}" for message in error.messages]
        except StorageFull:
            remove_stored(added)  # the rows roll back with the transaction, the bytes not
            raise
    if problems:
        remove_stored(added)
        raise ValidationError({"evidence": problems})
    return added


def evidence_add_each(
    *, actor, complaint: Complaint, files: Sequence[EvidenceFile]
) -> tuple[list[Evidence], list[str]]:
    """Several files for a draft, each kept if it passes the checks: the accepted
    files, and a message naming each refused one (a form keeps what it could)."""
    added, problems = [], []
    for name, data in files:
        try:
            with transaction.atomic():
                added.append(evidence_add(actor=actor, complaint=complaint, name=name, data=data))
        except ValidationError as error:
            problems += [f"{name}: {message}" for message in error.messages]
    return added, problems


@transaction.atomic
def evidence_remove(*, actor, complaint: Complaint, pks: Sequence[int]) -> int:
    """Files taken off a draft by its author before submission (a submitted
    complaint's evidence is part of its record); returns how many."""
    if complaint.state != State.DRAFT or complaint.created_by_id != actor.pk:
        raise PermissionDenied(_("Only the author of a draft may remove its files."))
    items = list(complaint.evidence.filter(pk__in=pks))
    for item in items:
        audit.record(
            actor=actor,
            verb=verbs.EVIDENCE_REMOVED,
            target=complaint,
            payload=evidence_payload(item),
        )
        item.delete()
    transaction.on_commit(lambda: remove_stored(items))
    return len(items)


def remove_stored(items: Sequence[Evidence]) -> None:
    """The bytes of files whose rows a refusal rolls back (the rows go with it)."""
    for item in items:
        evidence_path(item).unlink(missing_ok=True)


@transaction.atomic
def evidence_add(*, actor, complaint: Complaint, name: str, data: bytes) -> Evidence:
    """`complaint` must come from the actor's scoping selector."""
    if not may_add_evidence(actor, complaint):
        raise PermissionDenied(_("You may not add evidence to this complaint."))
    content_type = _check_upload(complaint, data, sha256_of(data))
    evidence = Evidence.objects.create(
        complaint=complaint, uploaded_by=actor, **stored_evidence(name, data, content_type)
    )
    audit.record(
        actor=actor, verb=verbs.EVIDENCE_ADDED, target=complaint, payload=evidence_payload(evidence)
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
    if used + len(data) > max_total_bytes():
        raise ValidationError(
            {
                "file": _("A complaint's evidence may total %(mb)s MB at most.")
                % {"mb": max_total_bytes() // 2**20}
            }
        )
    return content_type

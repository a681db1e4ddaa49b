"""Storing an uploaded return, and who may import for whom."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qingqian.accounts.models import Organisation
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core import audit
from qingqian.core.file_storage import write_whole
from qingqian.core.scoping import EVERYTHING, Scope, region_prefix
from qingqian.ledger import verbs
from qingqian.ledger.models import LedgerImport


def max_upload_bytes() -> int:
    return getattr(settings, "QINGQIAN_LEDGER_IMPORT_MAX_MB", 500) * 1024 * 1024


def imports_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "ledger-imports"


def import_scope(owner: Organisation) -> Scope:
    """The regions an organisation's ledger may hold: its own jurisdiction."""
    prefix = region_prefix(owner.region_code)
    return EVERYTHING if prefix == "" else Scope(region_prefix=prefix)


def may_import(actor, owner: Organisation) -> bool:
    if actor is None:
        return True
    if not has_perm(actor, Perm.LEDGER_KEEP) or actor.organisation_id is None:
        return False
    return owner.path.startswith(actor.organisation.path)


@transaction.atomic
def ledger_import_upload(*, actor, owner: Organisation, fileobj, original_name: str):
    """Store an uploaded return under a random name and queue its import."""
    if not may_import(actor, owner):
        raise PermissionDenied(_("You may not import ledgers for this organisation."))
    stored_name, size, sha256 = _store(fileobj)
    record = LedgerImport.objects.create(
        owner=owner,
        uploaded_by=actor if actor is not None else None,
        original_name=Path(original_name).name[:255],
        stored_name=stored_name,
        sha256=sha256,
        size=size,
    )
    audit.record(
        actor=actor,
        verb=verbs.IMPORT_UPLOAD,
        target=record,
        payload={"name": record.original_name, "sha256": sha256, "size": size},
    )
    return record


def _store(fileobj) -> tuple[str, int, str]:
    """Write the upload whole (see core.file_storage.write_whole: a refusal or a
    full disk part way through leaves no file)."""
    imports_dir().mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16)
    digest, sizes = hashlib.sha256(), []
    write_whole(imports_dir() / stored_name, _checked_chunks(fileobj, digest, sizes))
    size = sum(sizes)
    if size == 0:
        (imports_dir() / stored_name).unlink()
        raise ValidationError({"file": _("The file is empty.")})
    return stored_name, size, digest.hexdigest()


def _checked_chunks(fileobj, digest, sizes: list[int]):
    """The upload's chunks, hashed and counted on the way; refuses past the limit."""
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        sizes.append(len(chunk))
        if sum(sizes) > max_upload_bytes():
            raise ValidationError(
                {
                    "file": _("The file is larger than %(mb)d MB.")
                    % {"mb": max_upload_bytes() // 2**20}
                }
            )
        digest.update(chunk)
        yield chunk

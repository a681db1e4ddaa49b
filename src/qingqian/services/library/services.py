"""Audited writes of the Regulations library.

`library_seed` loads the packaged texts (data/) once: it adds the documents,
entries and 2020 → 2025 table that are missing and never overwrites an entry,
so an administrator's edits survive a second run. `library_entry_edit` is the
one way to change an entry: the text it replaces is kept as a version, the
full-text index is updated in the same transaction, one audit event records it.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingqian.accounts.permissions import Perm, require_perm
from qingqian.core import audit
from qingqian.services.library import search, verbs
from qingqian.services.models import (
    ArticleChange,
    LibraryDocument,
    LibraryEntry,
    LibraryEntryVersion,
)

DATA = Path(__file__).parent / "data"
MAX_HEADING = 200
MAX_TEXT = 20_000
MAX_NOTE = 500
OLD, NEW = "regulations-2020", "regulations-2025"


class LibraryEntryStale(ValidationError):
    def __init__(self):
        super().__init__(
            {"version": _("Someone else changed this entry meanwhile. Reload and try again.")}
        )


# --- loading the packaged texts -----------------------------------------------------------


@transaction.atomic
def library_seed(*, actor=None) -> int:
    """Load what is missing of the packaged library; returns the entries added."""
    require_perm(actor, Perm.LIBRARY_EDIT)
    added = []
    for document_data in json.loads((DATA / "documents.json").read_text(encoding="utf-8")):
        document = _document(document_data)
        added += [_entry(document, row) for row in document_data["entries"]]
    added = [entry for entry in added if entry is not None]
    search.prune()
    search.reindex(added)
    _changes()
    if added:
        audit.record(actor=actor, verb=verbs.LIBRARY_SEED, payload={"entries": len(added)})
    return len(added)


def _document(data: dict) -> LibraryDocument:
    document, _created = LibraryDocument.objects.get_or_create(
        slug=data["slug"],
        defaults={
            "kind": data["kind"],
            "title_zh": data["title_zh"],
            "title_en": data["title_en"],
            "reference": data["reference"],
            "in_force": date.fromisoformat(data["in_force"]) if data["in_force"] else None,
            "order": data["order"],
        },
    )
    return document


def _entry(document: LibraryDocument, row: dict) -> LibraryEntry | None:
    if LibraryEntry.objects.filter(document=document, key=row["key"]).exists():
        return None
    fields = ("kind", "number", "heading_zh", "heading_en", "chapter_zh", "chapter_en")
    return LibraryEntry.objects.create(
        document=document,
        key=row["key"],
        text_zh=row["text_zh"],
        text_en=row["text_en"],
        verified=row["verified"],
        **{field: row[field] for field in fields},
    )


def _changes() -> None:
    if ArticleChange.objects.exists():
        return
    articles = {
        (entry.document.slug, entry.number): entry
        for entry in LibraryEntry.objects.filter(document__slug__in=[OLD, NEW]).select_related(
            "document"
        )
    }
    rows = json.loads((DATA / "mapping.json").read_text(encoding="utf-8"))
    ArticleChange.objects.bulk_create(
        ArticleChange(
            old=articles.get((OLD, row["from"])),
            new=articles.get((NEW, row["to"])),
            status=row["status"],
        )
        for row in rows
    )


# --- editing ------------------------------------------------------------------------------


@transaction.atomic
def library_entry_edit(
    *,
    actor,
    entry: LibraryEntry,
    heading_zh: str,
    heading_en: str,
    text_zh: str,
    text_en: str,
    note: str = "",
    version: int | None = None,
) -> LibraryEntry:
    """An administrator rewrites an entry; the replaced text becomes a version."""
    require_perm(actor, Perm.LIBRARY_EDIT)
    entry = LibraryEntry.objects.select_for_update().get(pk=entry.pk)
    if version is not None and version != entry.version:
        raise LibraryEntryStale()
    errors: dict[str, str] = {}
    new = {
        "heading_zh": _clean(heading_zh, "heading_zh", MAX_HEADING, errors),
        "heading_en": _clean(heading_en, "heading_en", MAX_HEADING, errors),
        "text_zh": _clean(text_zh, "text_zh", MAX_TEXT, errors),
        "text_en": _clean(text_en, "text_en", MAX_TEXT, errors),
    }
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        errors["note"] = _("Keep this under %(limit)s characters.") % {"limit": MAX_NOTE}
    if not errors and all(getattr(entry, field) == value for field, value in new.items()):
        errors["text_zh"] = _("Nothing was changed.")
    if errors:
        raise ValidationError(errors)
    _keep_version(entry, actor, note)
    for field, value in new.items():
        setattr(entry, field, value)
    entry.version += 1
    entry.updated_by = actor
    entry.save()
    search.reindex([entry])
    audit.record(
        actor=actor,
        verb=verbs.LIBRARY_ENTRY_EDIT,
        target=entry,
        payload={"document": entry.document.slug, "key": entry.key, "version": entry.version},
    )
    return entry


def _keep_version(entry: LibraryEntry, actor, note: str) -> None:
    LibraryEntryVersion.objects.create(
        entry=entry,
        version=entry.version,
        heading_zh=entry.heading_zh,
        heading_en=entry.heading_en,
        text_zh=entry.text_zh,
        text_en=entry.text_en,
        replaced_at=timezone.now(),
        replaced_by=actor,
        note=note,
    )


def _clean(value, field: str, limit: int, errors: dict) -> str:
    value = value.strip() if isinstance(value, str) else ""
    if not value:
        errors[field] = _("This field cannot be empty.")
    elif len(value) > limit:
        errors[field] = _("Keep this under %(limit)s characters.") % {"limit": limit}
    return value

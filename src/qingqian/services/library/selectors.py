"""Reads of the Regulations library.

The library is public: documents, entries, the comparison and search take no
actor. What only editors may read (the editing list, an entry to edit, its
history) goes through `editable_*`, empty for anyone without Perm.LIBRARY_EDIT,
so an entry outside that scope is a 404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from qingqian.accounts.permissions import Perm, has_perm
from qingqian.services.models import ArticleChange, LibraryDocument, LibraryEntry


def documents() -> QuerySet[LibraryDocument]:
    return LibraryDocument.objects.all()


def document_get(slug: str) -> LibraryDocument:
    return get_object_or_404(LibraryDocument, slug=slug)


def entries_of(document: LibraryDocument) -> QuerySet[LibraryEntry]:
    return document.entries.order_by("number")


def changed_articles() -> QuerySet[ArticleChange]:
    """The lines of the 2020 → 2025 table whose article changed, in 2025 order."""
    return ArticleChange.objects.filter(status=ArticleChange.Status.CHANGED).select_related(
        "old__document", "new__document"
    )


def change_summary() -> dict[str, int]:
    """How many lines of the table have each status."""
    counts = dict.fromkeys(ArticleChange.Status.values, 0)
    for change in ArticleChange.objects.only("status"):
        counts[change.status] += 1
    return counts


def _may_edit(actor) -> bool:
    return actor is not None and has_perm(actor, Perm.LIBRARY_EDIT)


def editable_entries(*, actor) -> QuerySet[LibraryEntry]:
    entries = LibraryEntry.objects.select_related("document", "updated_by")
    return entries if _may_edit(actor) else entries.none()


def editable_entry_get(*, actor, pk) -> LibraryEntry:
    return get_object_or_404(editable_entries(actor=actor), pk=pk)

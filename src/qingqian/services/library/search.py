"""Full-text search of the library in the database's own engine.

`reindex(entries)` puts the entries' segmented text in the index: the columns
`segments_zh` / `segments_en` (which PostgreSQL's GIN indexes cover) and, on
SQLite, the FTS5 table `services_library_fts`. `search(question)` segments the
question the same way, ORs its terms and ranks the entries: bm25 on SQLite,
ts_rank_cd on PostgreSQL. Excerpts are built here, not by the database, so that
both engines give the same highlighted text (`<mark>`, everything else escaped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from qingqian.services.library import segment
from qingqian.services.models import LibraryEntry

DEFAULT_LIMIT = 10
MAX_TERMS = 30
EXCERPT_CHARS = {"zh": 90, "en": 240}


@dataclass(frozen=True)
class Hit:
    entry: LibraryEntry
    rank: float
    excerpt: SafeString


def reindex(entries) -> None:
    """Segment the entries' headings and texts and write them to the index."""
    for entry in entries:
        entry.segments_zh = segment.index_text_zh(f"{entry.heading_zh}\n{entry.text_zh}")
        entry.segments_en = segment.index_text_en(f"{entry.heading_en}\n{entry.text_en}")
        LibraryEntry.objects.filter(pk=entry.pk).update(
            segments_zh=entry.segments_zh, segments_en=entry.segments_en
        )
        if connection.vendor == "sqlite":
            _sqlite_store(entry)


def prune() -> None:
    """Drop from the SQLite index the rows of entries that no longer exist (a flush
    of the database empties the entries' table, not the FTS5 table)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM services_library_fts "
                "WHERE rowid NOT IN (SELECT id FROM services_libraryentry)"
            )


def _sqlite_store(entry: LibraryEntry) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM services_library_fts WHERE rowid = %s", [entry.pk])
        cursor.execute(
            "INSERT INTO services_library_fts(rowid, zh, en) VALUES (%s, %s, %s)",
            [entry.pk, entry.segments_zh, entry.segments_en],
        )


def search(question: str, *, limit: int = DEFAULT_LIMIT) -> list[Hit]:
    """The entries that best answer the question, best first, with excerpts."""
    language, terms = segment.query_terms(question or "")
    terms = terms[:MAX_TERMS]
    if not terms:
        return []
    ranked = _ranked_ids(language, terms, limit)
    entries = LibraryEntry.objects.select_related("document").in_bulk([pk for pk, _ in ranked])
    return [
        Hit(entries[pk], rank, excerpt(_text(entries[pk], language), terms, language))
        for pk, rank in ranked
        if pk in entries
    ]


def _ranked_ids(language: str, terms: list[str], limit: int) -> list[tuple[int, float]]:
    if connection.vendor == "postgresql":
        return _postgres(language, terms, limit)
    return _sqlite(language, terms, limit)


def _sqlite(language: str, terms: list[str], limit: int) -> list[tuple[int, float]]:
    quoted = " OR ".join('"{}"'.format(term.replace('"', '""')) for term in terms)
    # bm25 weighs each column; the other language's column counts for nothing.
    weights = "1.0, 0.0" if language == "zh" else "0.0, 1.0"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, bm25(services_library_fts, {weights}) AS score "  # nosec B608 # constant weights, values bound
            "FROM services_library_fts WHERE services_library_fts MATCH %s "
            "ORDER BY score, rowid LIMIT %s",
            [f"{{{language}}} : ({quoted})", limit],
        )
        return [(pk, -score) for pk, score in cursor.fetchall()]


def _postgres(language: str, terms: list[str], limit: int) -> list[tuple[int, float]]:
    column = "segments_zh" if language == "zh" else "segments_en"
    query = " | ".join(_tsquery_term(term) for term in terms)
    # Normalisation 1 divides the rank by 1 + log(length): without it the longest
    # articles, which hold every common word, outrank the one that answers.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, ts_rank_cd(to_tsvector('simple', {column}), q, 1) AS score "  # nosec B608 # constant column, values bound
            f"FROM services_libraryentry, to_tsquery('simple', %s) AS q "
            f"WHERE to_tsvector('simple', {column}) @@ q "
            "ORDER BY score DESC, id LIMIT %s",
            [query, limit],
        )
        return [(pk, float(score)) for pk, score in cursor.fetchall()]


def _tsquery_term(term: str) -> str:
    """One lexeme, quoted so that no character of it is read as an operator."""
    return "'{}'".format(term.replace("\\", "\\\\").replace("'", "''"))


def _text(entry: LibraryEntry, language: str) -> str:
    return entry.text_zh if language == "zh" else entry.text_en


def excerpt(text: str, terms: list[str], language: str) -> SafeString:
    """A window of the text around the first term found, the terms in <mark>,
    every other character escaped."""
    if not terms:
        return escape(text[: EXCERPT_CHARS[language]])
    pattern = _pattern(terms, language)
    width = EXCERPT_CHARS[language]
    first = pattern.search(text)
    start = max(0, (first.start() if first else 0) - width // 4)
    end = min(len(text), start + width)
    window = text[start:end]
    parts, position = [], 0
    for match in pattern.finditer(window):
        parts.append(escape(window[position : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        position = match.end()
    parts.append(escape(window[position:]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    # Every piece of the text was escaped above; only our own <mark> tags are markup.
    return mark_safe(prefix + "".join(parts) + suffix)  # nosec B308 B703


def _pattern(terms: list[str], language: str) -> re.Pattern:
    alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    if language == "en":
        return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)
    return re.compile(alternatives, re.IGNORECASE)

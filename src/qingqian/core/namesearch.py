"""Finding enterprises by any two or more characters of their name, with an
index rather than a scan.

A name is indexed as its overlapping two-character pieces ("明达机电" → 明达
达机 机电), after dropping spaces and punctuation. A fragment of n characters is
found as the phrase of its n - 1 pieces in a row: exactly the names that contain
it. SQLite keeps the pieces in an FTS5 table (`qq_name_bigrams`, a function the
platform's SQLite backend gives every connection, fills it from triggers);
PostgreSQL has trigram and bigram GIN indexes (ledger migration 0004)."""

from __future__ import annotations

import unicodedata

MIN_FRAGMENT = 2


def searchable(text: str) -> str:
    """The characters that count: letters and digits, full-width folded, lower case."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(ch for ch in folded if ch.isalnum())


def name_bigrams(name: str) -> str:
    """The indexed form of a name: its two-character pieces, space-separated."""
    text = searchable(name)
    if len(text) < MIN_FRAGMENT:
        return text
    return " ".join(text[i : i + 2] for i in range(len(text) - 1))


def fts_phrase(fragment: str) -> str | None:
    """The FTS5 query for names containing the fragment; None when it has fewer
    than two characters that count. Only letters and digits reach the query."""
    text = searchable(fragment)
    if len(text) < MIN_FRAGMENT:
        return None
    return '"' + name_bigrams(text) + '"'

"""One concept, one term: the official Chinese terms and the variants they replace.

The table is ``core/data/terminology.csv`` (shown in ``docs/terminology.md``).
Each row names a term, the rejected variants as a regular expression, the part
of the product where the rule holds, and an optional expression of allowed
words (``今天`` contains ``天`` but is no statutory period). A catalogue entry
belongs to a part when every place that uses it lies in that part, or when its
msgctxt names it: a msgid shared by the complaint module and the ledger is not a
complaint string, so it is split with a context rather than given one module's
word.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

TABLE = Path(__file__).parent / "data" / "terminology.csv"

# Source folders (relative to the package) of each part of the product.
SCOPES: dict[str, tuple[str, ...]] = {
    "complaint": ("complaints/", "api/complaints/"),
    "ledger": ("ledger/", "api/ledger/"),
    "supervision": ("supervision/", "api/supervision/"),
}


@dataclass(frozen=True)
class Rule:
    term: str
    meaning: str
    source: str
    rejected: str
    pattern: re.Pattern[str]
    scope: str
    allowed: re.Pattern[str] | None


@dataclass(frozen=True)
class Violation:
    msgid: str
    msgctxt: str | None
    msgstr: str
    variant: str
    term: str


class Entry(Protocol):
    """What the check reads of a catalogue entry (a ``polib.POEntry``)."""

    msgid: str
    msgctxt: str | None
    msgstr: str
    msgstr_plural: dict
    occurrences: list
    obsolete: bool


def load_rules(path: Path = TABLE) -> list[Rule]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [_rule(row) for row in csv.DictReader(handle)]


def _rule(row: dict[str, str]) -> Rule:
    scope = row["scope"]
    if scope != "all" and scope not in SCOPES:
        raise ValueError(f"terminology.csv: unknown scope {scope!r} for {row['term']}")
    return Rule(
        term=row["term"],
        meaning=row["meaning"],
        source=row["source"],
        rejected=row["rejected"],
        pattern=re.compile(row["pattern"]),
        scope=scope,
        allowed=re.compile(row["allowed"]) if row["allowed"] else None,
    )


def in_scope(entry: Entry, scope: str) -> bool:
    """True when the rule of `scope` applies to this entry."""
    if scope == "all":
        return True
    if entry.msgctxt:
        return entry.msgctxt.split()[0] == scope
    paths = [path for path, _line in entry.occurrences]
    prefixes = SCOPES[scope]
    return bool(paths) and all(path.startswith(prefixes) for path in paths)


def _variants(rule: Rule, text: str) -> list[str]:
    """The rejected words in `text`, skipping those inside an allowed word."""
    spared = [m.span() for m in rule.allowed.finditer(text)] if rule.allowed else []
    return [
        match.group()
        for match in rule.pattern.finditer(text)
        if not any(start <= match.start() and match.end() <= end for start, end in spared)
    ]


def _translations(entry: Entry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgstr_plural else [entry.msgstr]


def violations(entries: Iterable[Entry], rules: list[Rule]) -> list[Violation]:
    """Every rejected variant in the entries' translations, once per entry and word
    (the first rule that names it wins: scoped rows come before the general ones)."""
    found: dict[tuple, Violation] = {}
    for entry in entries:
        if entry.obsolete:
            continue
        for rule in rules:
            if not in_scope(entry, rule.scope):
                continue
            for text in _translations(entry):
                for variant in _variants(rule, text):
                    key = (entry.msgctxt, entry.msgid, variant)
                    found.setdefault(
                        key, Violation(entry.msgid, entry.msgctxt, text, variant, rule.term)
                    )
    return list(found.values())

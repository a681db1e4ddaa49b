"""Pure rules of legal aid: which legal service answers a request, how long it has
to answer, and when a reminder is due. No database."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from qingqian.core.scoping import region_prefix

# Working days a legal service has to accept or decline a request.
ANSWER_WORKING_DAYS = {"normal": 3, "urgent": 1}
# Calendar days before the answer deadline from which the legal service is reminded.
REMIND_DAYS_BEFORE = 1


def covering_provider(region_code: str, coverage: Iterable[tuple[int, str]]) -> int | None:
    """The provider whose covered region is the most specific one containing
    `region_code` (a city before its province); on a tie, the oldest (lowest id).
    `coverage` holds (provider id, covered region code) pairs; None: nobody covers it."""
    best: tuple[tuple[int, int], int] | None = None
    for provider_id, covered in coverage:
        prefix = region_prefix(covered)
        if not region_code.startswith(prefix):
            continue
        key = (len(prefix), -provider_id)
        if best is None or key > best[0]:
            best = (key, provider_id)
    return best[1] if best else None


def answer_working_days(urgency: str) -> int:
    return ANSWER_WORKING_DAYS[urgency]


def reminder_due(today: date, due_on: date) -> bool:
    """On the deadline itself and the day before it: not yet late, soon to be."""
    return 0 <= (due_on - today).days <= REMIND_DAYS_BEFORE


def is_late(today: date, due_on: date) -> bool:
    return today > due_on

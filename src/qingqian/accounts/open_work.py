"""What an organisation still has to do, in apps that accounts may not import.

Deactivating a unit is refused while it holds open work, and the transfer tool
moves that work to another unit. Accounts knows neither complaints nor ledgers
(the import contracts forbid it): each app registers, from its
AppConfig.ready(), the kinds of open work it keeps and how to count and move
them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from qingqian.accounts.models import Organisation


@dataclass(frozen=True)
class WorkKind:
    name: str
    label: str
    model: str  # the label of the model whose rows are the work ("ledger.ledgeritem")
    # count(organisations) → the open work held by any of these organisations.
    count: Callable[[QuerySet[Organisation]], int]
    # transfer(actor=, source=, target=) → how many were moved, in bulk updates.
    transfer: Callable[..., int]
    # refusal(target) → why the target cannot hold this work, or None.
    refusal: Callable[[Organisation, Organisation], str | None]


_kinds: dict[str, WorkKind] = {}


def register(
    name: str,
    *,
    label: str,
    model: str,
    count: Callable[[QuerySet[Organisation]], int],
    transfer: Callable[..., int],
    refusal: Callable[[Organisation, Organisation], str | None],
) -> None:
    """`refusal(source, target)` says why `target` cannot take over the
    source's work of this kind (None: it can)."""
    _kinds[name] = WorkKind(name, label, model, count, transfer, refusal)


def kinds() -> list[WorkKind]:
    return list(_kinds.values())


def counts(organisations: QuerySet[Organisation]) -> dict[str, int]:
    """The open work of these organisations, per kind (every kind, zeros included)."""
    return {kind.name: kind.count(organisations) for kind in _kinds.values()}

"""The import state machine: one table, in code.

An upload is queued; a run claims it (start), then it ends imported
(finish), refused for its file's faults (refuse) or failed for ours (fail);
a failed import may be run again. A run that died (its worker killed) leaves
the import running; the queue's retry of the task takes it over (reclaim).
Only the system takes these actions (the worker or the CLI), so no edge names
a role.
"""

from __future__ import annotations

from qingqian.core.transitions import ForbiddenTransition, TransitionTable
from qingqian.core.transitions import transition as _t
from qingqian.ledger.models import LedgerImport

State = LedgerImport.State

TRANSITIONS = TransitionTable(
    [
        _t("start", {State.QUEUED, State.FAILED}, State.RUNNING),
        _t("finish", {State.RUNNING}, State.DONE),
        _t("refuse", {State.RUNNING}, State.REFUSED),
        _t("fail", {State.RUNNING}, State.FAILED),
        _t("reclaim", {State.RUNNING}, State.RUNNING),
    ]
)


def move(record: LedgerImport, action: str, **fields) -> bool:
    """Take `action` if the table allows it from the import's stored state,
    setting ``fields`` with the new state; False when it does not. One
    conditional UPDATE checks and moves, so two workers cannot both start
    one import."""
    return move_where(LedgerImport.objects.filter(pk=record.pk), action, **fields)


def move_where(imports, action: str, **fields) -> bool:
    """`move` for the import of the query `imports` (which may add conditions)."""
    edge = TRANSITIONS[action]
    moved = imports.filter(state__in=edge.sources).update(state=edge.target, **fields)
    return bool(moved)


def move_or_refuse(record: LedgerImport, action: str, **fields) -> None:
    """`move`, or ForbiddenTransition naming the state the import is in."""
    if not move(record, action, **fields):
        state = LedgerImport.objects.values_list("state", flat=True).get(pk=record.pk)
        raise ForbiddenTransition(state, action)

"""One small mechanism for every state machine: a table of edges, in code.

Each action names the states it may start from, the state it leads to (None
keeps the state), and who may take it (roles, or the parties an app names).
The table answers whether an edge exists and where it leads; who this person
is relative to the record (scope, organisation, four eyes) stays with the
app's services.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass


class ForbiddenTransition(Exception):
    """The table has no such edge: the action does not start from this state."""

    def __init__(self, state: str, action: str):
        super().__init__(f"No transition {action!r} from state {state!r}.")
        self.state, self.action = state, action


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change
    roles: frozenset[str]


def transition(action: str, sources: Iterable[str], target: str | None, *roles: str) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles))


class TransitionTable(Mapping[str, Transition]):
    """The transitions of one state machine, by action."""

    def __init__(self, transitions: Iterable[Transition]):
        self._by_action: dict[str, Transition] = {}
        for t in transitions:
            if t.action in self._by_action:
                raise ValueError(f"Action {t.action!r} is in the table twice.")
            self._by_action[t.action] = t

    def __getitem__(self, action: str) -> Transition:
        return self._by_action[action]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_action)

    def __len__(self) -> int:
        return len(self._by_action)

    def allowed(self, state: str, action: str, role: str | None = None) -> bool:
        """The action starts from `state` (and, given a role, that role may take it)."""
        t = self._by_action.get(action)
        if t is None or state not in t.sources:
            return False
        return role is None or role in t.roles

    def next_state(self, state: str, action: str) -> str:
        """Where the action leads from `state`; ForbiddenTransition if it does not start there."""
        if not self.allowed(state, action):
            raise ForbiddenTransition(state, action)
        target = self._by_action[action].target
        return state if target is None else target

    def actions_from(self, state: str) -> list[str]:
        """Every action that starts from `state`, whoever takes it."""
        return [a for a, t in self._by_action.items() if state in t.sources]

    def allowed_actions(self, state: str, role: str) -> list[str]:
        """Actions the table allows from `state` for `role` (before scope and other checks)."""
        return [a for a, t in self._by_action.items() if state in t.sources and role in t.roles]

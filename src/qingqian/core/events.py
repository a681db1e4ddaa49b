"""Domain events: how a watched app tells its watchers what happened without knowing them.

A domain app publishes a named event with plain values (ids, dates, codes,
strings); an app that watches it subscribes a handler once, in its
`AppConfig.ready()`. The publisher never imports the subscriber, so the
dependency points from the watcher to the watched only.

Handlers run synchronously, in subscription order, inside the publisher's
transaction: what they write commits or rolls back with the record that
caused it (figures kept this way never drift from the records), and a
handler's error propagates to the publisher and undoes its whole act. An
event nobody subscribed to is simply dropped.

Only plain values cross the boundary, never model instances: a subscriber
must not reach back into the publisher's objects, and a payload of plain
values can later be stored (an outbox) or sent elsewhere unchanged.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

PLAIN_TYPES = (
    type(None),
    bool,
    int,
    str,
    Decimal,
    datetime.date,  # datetime.datetime is a date too
    datetime.time,
    uuid.UUID,
)

Handler = Callable[..., None]


class EventRegistry:
    def __init__(self):
        self._handlers: defaultdict[str, list[Handler]] = defaultdict(list)

    def subscribe(self, event_name: str, handler: Handler) -> None:
        """Call `handler(**values)` for every `event_name` published from now on.

        Subscribing the same handler again does nothing: `ready()` may run more
        than once in a process, and a handler called twice would count twice."""
        handlers = self._handlers[event_name]
        if handler not in handlers:
            handlers.append(handler)

    def publish(self, event_name: str, **values) -> None:
        """Call every handler of `event_name` with `values`, in subscription order."""
        _require_plain(event_name, values)
        for handler in self._handlers.get(event_name, ()):
            handler(**values)


def _require_plain(event_name: str, values: dict) -> None:
    for name, value in values.items():
        if not _is_plain(value):
            raise TypeError(
                f"event {event_name!r}: {name}={type(value).__name__} is not a plain value "
                "(publish ids, dates, codes and strings, not objects)"
            )


def _is_plain(value) -> bool:
    if isinstance(value, tuple | frozenset):
        return all(_is_plain(item) for item in value)
    return isinstance(value, PLAIN_TYPES)


# The process-wide registry the apps publish to and subscribe on.
_registry = EventRegistry()
subscribe = _registry.subscribe
publish = _registry.publish

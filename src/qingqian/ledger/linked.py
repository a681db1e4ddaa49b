"""Records that apps built on the ledger keep about its items and parties, shown
on the ledger's pages (the complaints about an item's contract, say).

The ledger never imports those apps (complaints import the ledger, not the
reverse): each registers, from its AppConfig.ready(), a scoping selector and
the name under which the ledger's templates show what it returns.
"""

from __future__ import annotations

from collections.abc import Callable

_about_item: dict[str, Callable] = {}
_about_party: dict[str, Callable] = {}


def show_about_item(name: str, records: Callable) -> None:
    """`records(actor=..., item=...)` is shown on a ledger item's page as `name`."""
    _about_item[name] = records


def show_about_party(name: str, records: Callable) -> None:
    """`records(actor=..., enterprise=...)` is shown on an enterprise's ledger page as `name`."""
    _about_party[name] = records


def about_item(*, actor, item) -> dict:
    return {name: records(actor=actor, item=item) for name, records in _about_item.items()}


def about_party(*, actor, enterprise) -> dict:
    return {
        name: records(actor=actor, enterprise=enterprise) for name, records in _about_party.items()
    }

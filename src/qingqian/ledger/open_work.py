"""The ledger items an organisation keeps and that are not settled, counted and
moved for accounts' deactivation and transfer tool (accounts.open_work)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qingqian.accounts import open_work
from qingqian.core.scoping import region_prefix
from qingqian.ledger.models import LedgerItem, Status

# Settled for good: nothing is left for the keeper to follow up.
SETTLED = (Status.CLEARED, Status.WRITTEN_OFF)


def _open(organisations) -> QuerySet[LedgerItem]:
    return LedgerItem.objects.filter(owner__in=organisations).exclude(status__in=SETTLED)


def _count(organisations) -> int:
    return _open(organisations).count()


def _refusal(source, target) -> str | None:
    # An organisation keeps items located in its own jurisdiction only
    # (ledger.permissions.owner_covers), checked here for the whole set at once.
    outside = _open([source]).exclude(region_code__startswith=region_prefix(target.region_code))
    if outside.exists():
        return _("Some open ledger items lie outside the chosen unit's region.")
    return None


def _transfer(*, actor, source, target) -> int:
    # One UPDATE however many items (a province keeps millions).
    return _open([source]).update(owner=target)


def register() -> None:
    open_work.register(
        "ledger_items",
        label=gettext_lazy("ledger items not cleared"),
        model="ledger.ledgeritem",
        count=_count,
        transfer=_transfer,
        refusal=_refusal,
    )

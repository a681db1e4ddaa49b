"""Campaign targets and each province's progress against them, scoped by the actor.

Progress is computed from the ledger when asked (docs/adr/0008): at a date, the
items in the target's band that had been entered by then, the payments dated
up to then, and the disputed part as it stands now. The undisputed outstanding
amount is the ledger's own `Totals.undisputed_outstanding_fen`, so the current
month's "remaining" is the figure the ledger pages show for the same items.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from qingqian.accounts.permissions import Perm, require_perm
from qingqian.core import regions
from qingqian.core.scoping import scope_for
from qingqian.ledger.models import LedgerItem, Payment
from qingqian.ledger.selectors import Totals, ledger_items
from qingqian.supervision.dashboard.selectors import rate
from qingqian.supervision.models import CampaignTarget
from qingqian.supervision.periods import add_months


@dataclass(frozen=True)
class Progress:
    """A province's (or the total's) standing against a target at a date."""

    as_of: date
    totals: Totals  # owed, paid by `as_of` and disputed of the items entered by `as_of`

    @property
    def identified_fen(self) -> int:
        """The undisputed arrears identified: what clearing to zero means."""
        return self.totals.owed_fen - self.totals.disputed_fen

    @property
    def remaining_fen(self) -> int:
        return self.totals.undisputed_outstanding_fen

    @property
    def repaid_fen(self) -> int:
        return self.identified_fen - self.remaining_fen

    @property
    def share_cleared(self) -> Decimal | None:
        return rate(self.repaid_fen, self.identified_fen)


@dataclass(frozen=True)
class ProvinceProgress:
    province_code: str
    name: str
    months: list[Progress]  # month by month, the last one as of today (or the due date)

    @property
    def latest(self) -> Progress:
        return self.months[-1]


def campaign_targets(*, actor) -> QuerySet[CampaignTarget]:
    """The targets that concern the actor's jurisdiction (all of them nationally)."""
    require_perm(actor, Perm.STATS_VIEW)
    scope = scope_for(actor)
    if scope.everything:
        return CampaignTarget.objects.all()
    if scope.region_prefix is None:
        return CampaignTarget.objects.none()
    province = scope.region_prefix[:2] + "0000"
    return CampaignTarget.objects.filter(
        Q(province_codes="") | Q(province_codes__contains=province)
    )


def campaign_target_get(*, actor, pk: int) -> CampaignTarget:
    """A target that concerns the actor's jurisdiction, or 404."""
    return get_object_or_404(campaign_targets(actor=actor), pk=pk)


def target_items(*, actor, target: CampaignTarget) -> QuerySet[LedgerItem]:
    """The ledger items a target covers that the actor may see (the items behind its figures)."""
    return _in_target(ledger_items(actor=actor), target)


def checkpoints(target: CampaignTarget, today: date) -> list[date]:
    """The month ends from the start to the due date, stopping at today: the last
    one is today itself while the target runs, the due date once it has passed."""
    last = min(today, target.due_on)
    if last < target.starts_on:
        return [last]
    days, month = [], target.starts_on.replace(day=1)
    while month <= last:
        days.append(min(add_months(month, 1).replace(day=1) - timedelta(days=1), last))
        month = add_months(month, 1)
    return days


def target_progress(
    *, actor, target: CampaignTarget, today: date | None = None
) -> list[ProvinceProgress]:
    """Each province's progress month by month, for the provinces the actor sees."""
    today = today or timezone.localdate()
    items = target_items(actor=actor, target=target)
    days = checkpoints(target, today)
    by_day = [_province_totals(items, day) for day in days]
    codes = sorted({code for totals in by_day for code in totals} | _named_in_scope(actor, target))
    return [
        ProvinceProgress(
            code,
            _province_name(code),
            [
                Progress(day, totals.get(code, Totals()))
                for day, totals in zip(days, by_day, strict=True)
            ],
        )
        for code in codes
    ]


def total_progress(rows: list[ProvinceProgress]) -> list[Progress]:
    """The provinces' figures added up, month by month."""
    if not rows:
        return []
    return [
        Progress(months[0].as_of, _sum_totals(p.totals for p in months))
        for months in zip(*(row.months for row in rows), strict=True)
    ]


def share_at(*, target: CampaignTarget, where: Q, today: date) -> dict[str, Decimal | None]:
    """{province code: share cleared} of the items located `where`, at today (the due
    date once passed): what the laggard rule "campaign target share cleared below" judges."""
    day = min(today, target.due_on)
    items = _in_target(LedgerItem.objects.filter(where), target)
    return {
        code: Progress(day, totals).share_cleared
        for code, totals in _province_totals(items, day).items()
    }


# --- private -----------------------------------------------------------------------


def _in_target(items: QuerySet[LedgerItem], target: CampaignTarget) -> QuerySet[LedgerItem]:
    items = items.filter(owed_fen__lt=target.max_owed_fen)
    if target.min_owed_fen is not None:
        items = items.filter(owed_fen__gte=target.min_owed_fen)
    if target.provinces:
        items = items.filter(province_code__in=target.provinces)
    if target.types:
        items = items.filter(debtor_type__in=target.types)
    return items


def _province_totals(items: QuerySet[LedgerItem], day: date) -> dict[str, Totals]:
    """{province: Totals} of the items entered by `day`, with the payments dated by then."""
    entered = items.filter(created_at__date__lte=day).order_by()
    amounts = entered.values("province_code").annotate(
        n=Count("id"), owed=Sum("owed_fen"), disputed=Sum("disputed_fen")
    )
    paid = dict(
        Payment.objects.filter(item__in=entered.values("id"), paid_on__lte=day)
        .order_by()
        .values("item__province_code")
        .annotate(paid=Sum("amount_fen"))
        .values_list("item__province_code", "paid")
    )
    return {
        row["province_code"]: Totals(
            items=row["n"],
            owed_fen=row["owed"] or 0,
            paid_fen=paid.get(row["province_code"]) or 0,
            disputed_fen=row["disputed"] or 0,
        )
        for row in amounts
    }


def _sum_totals(many) -> Totals:
    sums: dict[str, int] = defaultdict(int)
    for totals in many:
        for name in ("items", "owed_fen", "paid_fen", "disputed_fen"):
            sums[name] += getattr(totals, name)
    return Totals(**sums)


def _named_in_scope(actor, target: CampaignTarget) -> set[str]:
    """Named provinces show a row even before they have items (a zero is news)."""
    scope = scope_for(actor)
    return {code for code in target.provinces if scope.covers_region(code)}


def _province_name(code: str) -> str:
    region = regions.lookup(code)
    return region.name if region else code

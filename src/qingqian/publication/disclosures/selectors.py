"""Every read of the disclosures, scoped by the actor; and the ledger at a year end.

The ledger's figures at 31 December are aggregate queries per debtor (or
grouped by debtor): an item counts as overdue and unpaid at the year end when
its due date had passed by then and what it still owed that day (owed, less
the payments dated up to the year end, less a write-off decided by then) was
positive. Never a loop over items in Python.

Officials reviewing disclosures see those of bodies located in their
jurisdiction (the same prefix rule as the ledger); a debtor representative
sees its own body's; the flags are for officials only. Out of scope is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from qingqian.accounts.models import Role
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core.scoping import scope_for
from qingqian.ledger.models import LedgerItem, LegalProceeding, Payment
from qingqian.ledger.selectors import region_q
from qingqian.parties.models import Enterprise
from qingqian.publication.models import (
    Disclosure,
    DisclosureFlag,
    DisclosureFlagItem,
    DisclosurePeriod,
    DisclosureVersion,
)
from qingqian.publication.models.disclosures import FILER_TYPES, filer_group_of

# --- the ledger at a year end ----------------------------------------------------------


@dataclass(frozen=True)
class LedgerAtYearEnd:
    count: int = 0
    amount_fen: int = 0

    @property
    def has_overdue(self) -> bool:
        return self.count > 0


def overdue_items_at(year_end: date) -> QuerySet[LedgerItem]:
    """Every ledger item overdue and unpaid at `year_end`, annotated with
    `year_end_outstanding_fen` (filter it by debtor before reading it)."""
    paid = (
        Payment.objects.filter(item=OuterRef("pk"), paid_on__lte=year_end)
        .order_by()
        .values("item")
        .annotate(total=Sum("amount_fen"))
        .values("total")
    )
    written_off_by_then = LegalProceeding.objects.filter(
        item=OuterRef("pk"),
        outcome=LegalProceeding.Outcome.FOR_DEBTOR,
        decided_on__lte=year_end,
    )
    outstanding = (
        F("owed_fen")
        - Coalesce(Subquery(paid, output_field=BigIntegerField()), Value(0))
        - Case(
            When(Exists(written_off_by_then), then=F("written_off_fen")),
            default=Value(0),
            output_field=BigIntegerField(),
        )
    )
    return (
        LedgerItem.objects.filter(due_on__lt=year_end, contract_signed_on__lte=year_end)
        .annotate(year_end_outstanding_fen=outstanding)
        .filter(year_end_outstanding_fen__gt=0)
    )


def ledger_at_year_end(*, enterprise_id: int, year: int) -> LedgerAtYearEnd:
    """The number and amount of the body's overdue unpaid SME contracts on 31 December."""
    sums = (
        overdue_items_at(date(year, 12, 31))
        .filter(debtor_id=enterprise_id)
        .aggregate(n=Count("id"), amount=Sum("year_end_outstanding_fen"))
    )
    return LedgerAtYearEnd(count=sums["n"] or 0, amount_fen=int(sums["amount"] or 0))


def ledger_at_year_end_by_debtor(*, enterprise_ids, year: int) -> dict[int, LedgerAtYearEnd]:
    """The same for many bodies, in one grouped query."""
    rows = (
        overdue_items_at(date(year, 12, 31))
        .filter(debtor_id__in=enterprise_ids)
        .order_by()
        .values("debtor_id")
        .annotate(n=Count("id"), amount=Sum("year_end_outstanding_fen"))
    )
    return {r["debtor_id"]: LedgerAtYearEnd(r["n"], int(r["amount"] or 0)) for r in rows}


# --- who sees what ------------------------------------------------------------------------


def may_review(actor) -> bool:
    return has_perm(actor, Perm.DISCLOSURE_REVIEW) and actor is not None and actor.is_official


def may_file_for(actor, enterprise: Enterprise) -> bool:
    """The body's own representative (the platform itself files imports)."""
    if actor is None:
        return True
    return (
        has_perm(actor, Perm.DISCLOSURE_FILE)
        and actor.role == Role.DEBTOR
        and actor.enterprise_id == enterprise.pk
        and filer_group_of(enterprise.type) is not None
    )


def _official_q(actor) -> Q | None:
    """The region filter of an official who reviews disclosures (None: not one)."""
    if not may_review(actor):
        return None
    scope = scope_for(actor)
    if scope.everything:
        return Q()
    if scope.region_prefix is not None:
        return region_q(scope.region_prefix)
    return None


def disclosures(*, actor) -> QuerySet[Disclosure]:
    official = _official_q(actor)
    if official is not None:
        rows = Disclosure.objects.filter(official)
    elif actor is not None and actor.is_authenticated and actor.role == Role.DEBTOR:
        rows = Disclosure.objects.filter(enterprise_id=actor.enterprise_id or 0)
    else:
        rows = Disclosure.objects.none()
    return rows.select_related("period", "enterprise")


def disclosure_get(*, actor, pk: int) -> Disclosure:
    return get_object_or_404(disclosures(actor=actor), pk=pk)


def versions(disclosure: Disclosure) -> QuerySet[DisclosureVersion]:
    return disclosure.versions.select_related("filed_by").order_by("-number")


def current_version(disclosure: Disclosure) -> DisclosureVersion:
    return disclosure.versions.get(number=disclosure.current_version)


def flags(*, actor, state: str = "") -> QuerySet[DisclosureFlag]:
    official = _official_q(actor)
    if official is None:
        return DisclosureFlag.objects.none()
    rows = DisclosureFlag.objects.filter(official)
    if state:
        rows = rows.filter(state=state)
    return rows.select_related("disclosure__period", "disclosure__enterprise", "version")


def flag_get(*, actor, pk: int) -> DisclosureFlag:
    return get_object_or_404(flags(actor=actor), pk=pk)


def flag_items(flag: DisclosureFlag) -> QuerySet[DisclosureFlagItem]:
    return flag.items.select_related("item__creditor").order_by("-outstanding_fen", "item_id")


# --- periods, late and missing filers ------------------------------------------------------


def periods() -> QuerySet[DisclosurePeriod]:
    return DisclosurePeriod.objects.all()


def periods_for(enterprise: Enterprise | None) -> QuerySet[DisclosurePeriod]:
    """The periods a body files in (none for a body that does not disclose)."""
    group = filer_group_of(enterprise.type) if enterprise is not None else None
    if group is None:
        return DisclosurePeriod.objects.none()
    return DisclosurePeriod.objects.filter(filer_group=group)


def expected_filers(*, actor, period: DisclosurePeriod) -> QuerySet[Enterprise]:
    """The bodies of the period's group registered on the platform, in the actor's scope."""
    rows = Enterprise.objects.filter(type__in=FILER_TYPES[period.filer_group])
    scope = scope_for(actor)
    if not may_review(actor):
        return rows.none()
    if not scope.everything:
        rows = rows.filter(region_code__startswith=scope.region_prefix)
    return rows


def missing_filers(*, actor, period: DisclosurePeriod) -> QuerySet[Enterprise]:
    """Expected filers with no disclosure for the period (missing once it is due)."""
    filed = Disclosure.objects.filter(period=period, enterprise=OuterRef("pk"))
    return (
        expected_filers(actor=actor, period=period)
        .exclude(Exists(filed))
        .order_by("region_code", "name")
    )


def late_filers(*, actor, period: DisclosurePeriod) -> QuerySet[Disclosure]:
    return (
        disclosures(actor=actor)
        .filter(period=period, filed_late=True)
        .order_by("region_code", "enterprise__name")
    )

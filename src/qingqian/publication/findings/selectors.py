"""Reads of findings. Officials who manage findings see those of enterprises in
their jurisdiction, a debtor's representatives their own enterprise's; the
public sees listings in force and the change record, public fields only."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from qingqian.accounts.models import Role
from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core.scoping import scope_for
from qingqian.publication.findings.transitions import LISTED
from qingqian.publication.models import Finding, ListingChange


def finding_list(*, actor) -> QuerySet[Finding]:
    rows = Finding.objects.select_related("enterprise", "credit_list")
    scope = scope_for(actor)
    if scope.nothing:
        return rows.none()
    if actor.role == Role.DEBTOR:
        return rows.filter(enterprise_id=scope.enterprise_id)
    if not actor.is_official or not has_perm(actor, Perm.FINDINGS_MANAGE):
        return rows.none()
    if scope.everything:
        return rows
    return rows.filter(enterprise__region_code__startswith=scope.region_prefix)


def public_listings() -> list[dict]:
    """The listings in force, as the public may see them; an objection or a
    repair request under review is said so."""
    rows = (
        Finding.objects.filter(state__in=LISTED)
        .select_related("enterprise", "credit_list")
        .order_by("-published_on", "pk")
    )
    return [_public(finding) for finding in rows]


def _public(finding: Finding) -> dict:
    return {
        "uscc": finding.enterprise.uscc,
        "name": finding.enterprise.name,
        "region_code": finding.enterprise.region_code,
        "list": finding.credit_list.name,
        "legal_basis": finding.legal_basis,
        "listed_from": finding.published_on,
        "listed_until": finding.ends_on,
        "under_review": finding.state != Finding.State.PUBLISHED,
    }


def listing_changes(*, since: datetime | None = None) -> QuerySet[ListingChange]:
    """Every change from `since` on (all without it), oldest first, keyed by credit code."""
    rows = ListingChange.objects.select_related("finding__credit_list")
    return rows.filter(Q(at__gt=since) if since else Q())

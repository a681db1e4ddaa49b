"""Reads of referrals, scoped like findings; and their counts per province and
debtor type, for the supervisors' overview."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from qingqian.accounts.permissions import Perm, has_perm
from qingqian.core.scoping import scope_for
from qingqian.publication.models import Referral


def referral_list(*, actor) -> QuerySet[Referral]:
    rows = Referral.objects.select_related("body", "referred_by")
    scope = scope_for(actor)
    if scope.nothing or not actor.is_official or not has_perm(actor, Perm.FINDINGS_MANAGE):
        return rows.none()
    if scope.everything:
        return rows
    return rows.filter(body__region_code__startswith=scope.region_prefix)


def referral_counts(*, actor) -> list[dict]:
    """Per province and debtor type: referred, answered, and each outcome."""
    return list(
        referral_list(actor=actor)
        .annotate(province=Substr("body__region_code", 1, 2))
        .values("province", "body__type")
        .annotate(
            referred=Count("pk"),
            answered=Count("pk", filter=Q(state=Referral.State.ANSWERED)),
            corrected=Count("pk", filter=Q(outcome=Referral.Outcome.ORDER_TO_CORRECT)),
            sanctioned=Count("pk", filter=Q(outcome=Referral.Outcome.SANCTIONS)),
            no_measure=Count("pk", filter=Q(outcome=Referral.Outcome.NONE)),
        )
        .order_by("province", "body__type")
    )

"""Which authority accepts a complaint: the routing table, first match wins."""

from __future__ import annotations

from django.db import transaction

from qingqian.accounts.models import Organisation
from qingqian.complaints.models import RoutingRule
from qingqian.core import audit
from qingqian.core.regions import province_code_of

DEFAULT_RULES = [
    (
        10,
        {"debtor_central": True},
        "national",
        "central agencies, institutions and SOEs: national authority",
    ),
    (
        20,
        {"cross_province": True},
        "national",
        "complainant and debtor in different provinces: national authority",
    ),
    (100, {}, None, "otherwise: the provincial authority of the debtor's province"),
]


@transaction.atomic
def seed_routing_rules() -> None:
    """The default table (idempotent); administrators may change it later."""
    if RoutingRule.objects.exists():
        return
    national = Organisation.objects.filter(kind=Organisation.Kind.NATIONAL_AUTHORITY).first()
    for priority, conditions, authority, description in DEFAULT_RULES:
        RoutingRule.objects.create(
            priority=priority,
            authority=national if authority == "national" else None,
            description=description,
            **conditions,
        )
    audit.record(actor=None, verb="routing.seed", payload={"rules": len(DEFAULT_RULES)})


def accepting_authority(complainant, debtor) -> Organisation | None:
    debtor_province = province_code_of(debtor.region_code)
    cross = province_code_of(complainant.region_code) != debtor_province
    for rule in RoutingRule.objects.select_related("authority"):
        if rule.debtor_central is not None and rule.debtor_central != debtor.is_central:
            continue
        if rule.cross_province is not None and rule.cross_province != cross:
            continue
        if rule.debtor_province_code and rule.debtor_province_code != debtor_province:
            continue
        return rule.authority or provincial_authority(debtor_province)
    return provincial_authority(debtor_province)


def provincial_authority(province_code: str) -> Organisation | None:
    return Organisation.objects.filter(
        kind=Organisation.Kind.PROVINCIAL_AUTHORITY, region_code=province_code
    ).first()

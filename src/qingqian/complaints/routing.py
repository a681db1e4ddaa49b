"""Which authority accepts a complaint: the routing table, first match wins."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qingqian.accounts.models import Organisation
from qingqian.accounts.permissions import Perm, require_perm
from qingqian.complaints import verbs
from qingqian.complaints.models import RoutingRule
from qingqian.core import audit
from qingqian.core.regions import province_code_of, provinces

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
    audit.record(actor=None, verb=verbs.ROUTING_SEEDED, payload={"rules": len(DEFAULT_RULES)})


def seed_after_bootstrap(*, national_id: int) -> None:
    """The default table once the authorities exist (accounts' bootstrap event)."""
    seed_routing_rules()


def accepting_authority(complainant, debtor) -> Organisation | None:
    debtor_province = province_code_of(debtor.region_code)
    cross = province_code_of(complainant.region_code) != debtor_province
    rules = RoutingRule.objects.order_by("priority").values_list(
        "debtor_central", "cross_province", "debtor_province_code", "authority_id"
    )
    for central, cross_province, province_code, authority_id in rules:
        if central is not None and central != debtor.is_central:
            continue
        if cross_province is not None and cross_province != cross:
            continue
        if province_code and province_code != debtor_province:
            continue
        if authority_id is not None:
            return Organisation.objects.get(pk=authority_id)
        break
    return provincial_authority(debtor_province)


def provincial_authority(province_code: str) -> Organisation | None:
    return Organisation.objects.filter(
        kind=Organisation.Kind.PROVINCIAL_AUTHORITY, region_code=province_code
    ).first()


# --- administrators edit the table ---------------------------------------------


@transaction.atomic
def routing_rule_set(
    *,
    actor,
    priority: int,
    description: str,
    debtor_central: bool | None = None,
    cross_province: bool | None = None,
    debtor_province_code: str = "",
    authority: Organisation | None = None,
) -> RoutingRule:
    """Add the rule with this priority, or replace it."""
    require_perm(actor, Perm.REFERENCE_EDIT)
    errors = {}
    if not isinstance(priority, int) or not 1 <= priority <= 9999:
        errors["priority"] = _("Enter a priority from 1 to 9999 (lower is tried first).")
    if not description.strip():
        errors["description"] = _("Describe the rule in a few words.")
    if debtor_province_code and debtor_province_code not in {p.code for p in provinces()}:
        errors["debtor_province_code"] = _("Enter a province code such as 440000.")
    if authority is not None and not authority.accepts_complaints:
        errors["authority"] = _("Only the national or a provincial authority accepts complaints.")
    if errors:
        raise ValidationError(errors)
    fields = {
        "description": description.strip(),
        "debtor_central": debtor_central,
        "cross_province": cross_province,
        "debtor_province_code": debtor_province_code,
        "authority": authority,
    }
    rule, created = RoutingRule.objects.update_or_create(priority=priority, defaults=fields)
    audit.record(
        actor=actor,
        verb=verbs.ROUTING_RULE_SET,
        target=rule,
        payload={
            "priority": priority,
            "created": created,
            **fields,
            "authority": authority and authority.pk,
        },
    )
    return rule


@transaction.atomic
def routing_rule_delete(*, actor, rule: RoutingRule) -> None:
    require_perm(actor, Perm.REFERENCE_EDIT)
    audit.record(
        actor=actor,
        verb=verbs.ROUTING_RULE_DELETED,
        target=rule,
        payload={"priority": rule.priority},
    )
    rule.delete()

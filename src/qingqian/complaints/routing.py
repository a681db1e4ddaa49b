"""Which authority accepts a complaint: the routing table, first match wins."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.shortcuts import get_object_or_404
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
    active = set(Organisation.objects.filter(is_active=True).values_list("pk", flat=True))
    for central, cross_province, province_code, authority_id in rules:
        if central is not None and central != debtor.is_central:
            continue
        if cross_province is not None and cross_province != cross:
            continue
        if province_code and province_code != debtor_province:
            continue
        if authority_id is None:
            break
        # A deactivated authority receives no new work: the next rule decides.
        if authority_id in active:
            return Organisation.objects.get(pk=authority_id)
    return provincial_authority(debtor_province)


def provincial_authority(province_code: str) -> Organisation | None:
    return Organisation.objects.filter(
        kind=Organisation.Kind.PROVINCIAL_AUTHORITY, region_code=province_code, is_active=True
    ).first()


# --- who edits which rules -----------------------------------------------------


@dataclass(frozen=True)
class RoutingScope:
    """The national administrator edits every rule; a provincial administrator
    only its own province's (`province_code`)."""

    everything: bool
    province_code: str = ""


def routing_scope(actor) -> RoutingScope:
    require_perm(actor, Perm.ORGANISATION_MANAGE)
    if actor is None or actor.is_superuser:
        return RoutingScope(everything=True)
    organisation = actor.organisation
    if organisation is not None and organisation.kind == Organisation.Kind.NATIONAL_AUTHORITY:
        return RoutingScope(everything=True)
    if organisation is not None and organisation.kind == Organisation.Kind.PROVINCIAL_AUTHORITY:
        return RoutingScope(everything=False, province_code=organisation.region_code)
    raise PermissionDenied(_("Only the national and provincial administrators edit the routing."))


def routing_rules_visible(*, actor) -> QuerySet[RoutingRule]:
    scope = routing_scope(actor)
    rules = RoutingRule.objects.select_related("authority").order_by("priority")
    return rules if scope.everything else rules.filter(debtor_province_code=scope.province_code)


def routing_rule_get(*, actor, pk) -> RoutingRule:
    return get_object_or_404(routing_rules_visible(actor=actor), pk=pk)


def _provincial_errors(scope: RoutingScope, actor, priority, fields: dict) -> dict:
    """What a provincial administrator may not do: route another province's
    complaints, decide for central debtors or cross-province cases (the national
    authority's), or get ahead of the national rules."""
    if scope.everything:
        return {}
    errors = {}
    if fields["debtor_province_code"] != scope.province_code:
        errors["debtor_province_code"] = _(
            "You may set rules for your own province only (%(code)s)."
        ) % {"code": scope.province_code}
    for name in ("debtor_central", "cross_province"):
        if fields[name]:
            errors[name] = _("Central debtors and cross-province cases are the national rules'.")
    if fields["authority"] is not None and fields["authority"].pk != actor.organisation_id:
        errors["authority"] = _("Your province's complaints go to your own authority.")
    taken = RoutingRule.objects.filter(priority=priority).first()
    national = RoutingRule.objects.filter(Q(debtor_central=True) | Q(cross_province=True))
    last_national = national.aggregate(last=Max("priority"))["last"] or 0
    if taken is not None and taken.debtor_province_code != scope.province_code:
        errors["priority"] = _("This priority belongs to a rule outside your province.")
    elif isinstance(priority, int) and priority <= last_national:
        errors["priority"] = _("Choose a priority after the national rules (above %(last)d).") % {
            "last": last_national
        }
    return errors


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
    scope = routing_scope(actor)
    errors = {}
    if not isinstance(priority, int) or not 1 <= priority <= 9999:
        errors["priority"] = _("Enter a priority from 1 to 9999 (lower is tried first).")
    if not description.strip():
        errors["description"] = _("Describe the rule in a few words.")
    if debtor_province_code and debtor_province_code not in {p.code for p in provinces()}:
        errors["debtor_province_code"] = _("Enter a province code such as 440000.")
    if authority is not None and not authority.accepts_complaints:
        errors["authority"] = _("Only the national or a provincial authority accepts complaints.")
    elif authority is not None and not authority.is_active:
        errors["authority"] = _("This authority has been deactivated.")
    fields = {
        "description": description.strip(),
        "debtor_central": debtor_central,
        "cross_province": cross_province,
        "debtor_province_code": debtor_province_code,
        "authority": authority,
    }
    errors = {**_provincial_errors(scope, actor, priority, fields), **errors}
    if errors:
        raise ValidationError(errors)
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
    rule = routing_rule_get(actor=actor, pk=rule.pk)
    audit.record(
        actor=actor,
        verb=verbs.ROUTING_RULE_DELETED,
        target=rule,
        payload={"priority": rule.priority},
    )
    rule.delete()

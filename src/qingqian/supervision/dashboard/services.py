"""Audited writes of the laggard rules: the national administrator's thresholds."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qingqian.core import audit
from qingqian.core.scoping import scope_for
from qingqian.supervision import verbs
from qingqian.supervision.defaults import DEFAULT_RULES
from qingqian.supervision.models import LaggardRule


@transaction.atomic
def laggard_rule_save(*, actor, rule: LaggardRule, changed: list[str] | None = None) -> LaggardRule:
    """The national administrator sets a rule's threshold (or adds, or switches one off)."""
    _require_national_admin(actor)
    rule.full_clean()
    if rule.kind != LaggardRule.Kind.ON_TIME_BELOW:
        rule.stage = ""
    elif not rule.stage:
        raise ValidationError({"stage": _("Choose the stage whose on-time rate is judged.")})
    if rule.kind != LaggardRule.Kind.TARGET_SHARE_BELOW:
        rule.target = None
    elif rule.target is None:
        raise ValidationError({"target": _("Choose the campaign target whose progress is judged.")})
    elif rule.level != LaggardRule.Level.PROVINCE:
        raise ValidationError({"level": _("Campaign targets are followed by province.")})
    if rule.threshold < 0:
        raise ValidationError({"threshold": _("The threshold cannot be negative.")})
    created = rule.pk is None
    rule.save()
    audit.record(
        actor=actor,
        verb=verbs.RULE_ADD if created else verbs.RULE_CHANGE,
        target=rule,
        payload={
            "kind": rule.kind,
            "level": rule.level,
            "stage": rule.stage,
            "threshold": str(rule.threshold),
            "window_months": rule.window_months,
            "active": rule.active,
            "target": rule.target_id,
            "changed": changed or [],
        },
    )
    return rule


@transaction.atomic
def laggard_rules_seed(*, actor) -> int:
    """Create the default rules when there are none at all (a new or emptied platform)."""
    if LaggardRule.objects.exists():
        return 0
    for kind, level, stage, threshold, window in DEFAULT_RULES:
        laggard_rule_save(
            actor=actor,
            rule=LaggardRule(
                kind=kind, level=level, stage=stage, threshold=threshold, window_months=window
            ),
        )
    return len(DEFAULT_RULES)


@transaction.atomic
def laggard_rule_delete(*, actor, rule: LaggardRule) -> None:
    _require_national_admin(actor)
    audit.record(actor=actor, verb=verbs.RULE_DELETE, target=rule, payload={"kind": rule.kind})
    rule.delete()


def may_set_rules(actor) -> bool:
    return actor.is_administrator and scope_for(actor).everything


def _require_national_admin(actor) -> None:
    if actor is not None and not may_set_rules(actor):
        raise PermissionDenied(_("Only the national administrator sets the laggard rules."))

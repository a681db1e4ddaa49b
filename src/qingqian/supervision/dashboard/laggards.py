"""Laggards: the jurisdictions and departments that the active rules flag.

Rules are rows (`LaggardRule`), so thresholds change without code. A rate
rule fires when the rate is strictly below its threshold (and there is
something to rate); a count rule when the count is strictly above it; "not
falling" when the undisputed outstanding arrears now are not below the
snapshot taken `threshold` months ago; "campaign target share cleared below"
when a province's share cleared of the rule's target, at today (or at the
target's due date once passed), is below its threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from qingqian.accounts.models import Organisation
from qingqian.core import regions
from qingqian.supervision.dashboard import selectors as dashboard
from qingqian.supervision.models import Grain, LaggardRule, LedgerSnapshot
from qingqian.supervision.periods import Jurisdiction, Period, add_months, jurisdiction_for
from qingqian.supervision.targets import selectors as targets

RATE_KINDS = frozenset(
    {
        LaggardRule.Kind.ON_TIME_BELOW,
        LaggardRule.Kind.CLEARANCE_BELOW,
        LaggardRule.Kind.TARGET_SHARE_BELOW,
    }
)


@dataclass(frozen=True)
class Flag:
    rule: LaggardRule
    subject: str  # "region" or "department"
    code: str  # region code, or the department's region code
    name: str
    value: Decimal | int
    department_id: int | None = None

    @property
    def prefix(self) -> str:
        return self.code[:2] if self.code.endswith("0000") else self.code[:4]


def window(rule: LaggardRule, today: date) -> Period:
    last = today.replace(day=1)
    return Period(add_months(last, 1 - max(rule.window_months, 1)), last)


def laggards(*, actor, region: str = "", today: date | None = None) -> list[Flag]:
    """What the active rules flag within the jurisdiction (default: the actor's own)."""
    today = today or timezone.localdate()
    jurisdiction = jurisdiction_for(actor, region)
    flags: list[Flag] = []
    figures: dict = {}  # rules of one grain and window share their figures
    for rule in LaggardRule.objects.filter(active=True):
        flags.extend(_apply(rule, jurisdiction, today, figures))
    return sorted(flags, key=lambda f: (f.rule.level, f.code, f.name, f.rule.pk))


def preview(*, actor, rule: LaggardRule, today: date | None = None) -> list[Flag]:
    """What this rule, as edited and not yet saved, would flag in the actor's jurisdiction."""
    jurisdiction = jurisdiction_for(actor)
    flags = _apply(rule, jurisdiction, today or timezone.localdate(), {})
    return sorted(flags, key=lambda f: (f.code, f.name))


def _apply(rule: LaggardRule, jurisdiction: Jurisdiction, today: date, figures: dict) -> list[Flag]:
    if rule.level == LaggardRule.Level.DEPARTMENT:
        return _department_flags(rule, jurisdiction, today)
    grain = Grain.PROVINCE if rule.level == LaggardRule.Level.PROVINCE else Grain.CITY
    if grain == Grain.PROVINCE and jurisdiction.level == "city":
        return []
    values = _region_values(rule, grain, jurisdiction, today, figures)
    return [
        Flag(rule, "region", code, _region_name(code), value)
        for code, value in sorted(values.items())
        if fires(rule, value)
    ]


def fires(rule: LaggardRule, value) -> bool:
    if value is None:
        return False
    if rule.kind in RATE_KINDS:
        return value < rule.threshold
    if rule.kind == LaggardRule.Kind.OVERDUE_ABOVE:
        return value > rule.threshold
    return value  # NOT_FALLING: the value is already the verdict (True / None)


def _region_values(rule, grain, jurisdiction: Jurisdiction, today: date, figures: dict) -> dict:
    """{region code at the rule's grain: value} for regions inside the jurisdiction;
    `figures` keeps what one rule counted for the next rule that needs the same."""
    inside = _grain_q(grain, jurisdiction)
    by = "province" if grain == Grain.PROVINCE else "city"
    if rule.kind == LaggardRule.Kind.ON_TIME_BELOW:
        period = window(rule, today)
        key = ("stage_counts", by, period)
        if key not in figures:
            figures[key] = dashboard.stage_counts(jurisdiction, inside, period, today, by)
        counts = figures[key]
        by_code: dict = {}
        for (code, measure), n in counts.items():
            by_code.setdefault(code, {})[measure] = n
        return {
            code: dashboard.stage_on_time(measures, rule.stage)["rate"]
            for code, measures in by_code.items()
        }
    if rule.kind == LaggardRule.Kind.OVERDUE_ABOVE:
        overdue = dashboard.overdue_counts(jurisdiction, today, by=by)
        return {key.ljust(6, "0"): n for key, n in overdue.items()}
    if rule.kind == LaggardRule.Kind.CLEARANCE_BELOW:
        totals = dashboard.ledger_totals(jurisdiction, by=by)
        return {
            key.ljust(6, "0"): dashboard.ledger_figures(sums)["clearance_rate"]
            for key, sums in totals.items()
        }
    if rule.kind == LaggardRule.Kind.TARGET_SHARE_BELOW:
        return _target_shares(rule, grain, jurisdiction, today)
    return _not_falling(rule, grain, jurisdiction, today)


def _target_shares(rule, grain, jurisdiction: Jurisdiction, today: date) -> dict:
    """Provinces' share cleared of the rule's campaign target, at today or at its due
    date once passed (targets are followed by province: no city figures)."""
    if grain != Grain.PROVINCE or rule.target is None:
        return {}
    return targets.share_at(
        target=rule.target, where=jurisdiction.region_q("region_code"), today=today
    )


def _grain_q(grain: str, jurisdiction: Jurisdiction) -> Q:
    return Q(grain=grain) & jurisdiction.region_q("region_code")


def _not_falling(rule, grain, jurisdiction: Jurisdiction, today: date) -> dict:
    """True where undisputed outstanding arrears now (live) are not below the
    snapshot of `threshold` months ago; regions without that snapshot are not judged."""
    months = int(rule.threshold)
    then = add_months(today.replace(day=1), -months)
    earlier = dict(
        LedgerSnapshot.objects.filter(_grain_q(grain, jurisdiction), month=then).values_list(
            "region_code", "undisputed_outstanding_fen"
        )
    )
    by = "province" if grain == Grain.PROVINCE else "city"
    now = {
        key.ljust(6, "0"): dashboard.ledger_figures(sums)["undisputed_outstanding_fen"]
        for key, sums in dashboard.ledger_totals(jurisdiction, by=by).items()
    }
    return {
        code: True if now.get(code, 0) > 0 and now.get(code, 0) >= before else None
        for code, before in earlier.items()
    }


def _department_flags(rule, jurisdiction: Jurisdiction, today: date) -> list[Flag]:
    if rule.kind == LaggardRule.Kind.ON_TIME_BELOW:
        rows = dashboard.by_department(jurisdiction, window(rule, today), today)
        values = {
            row["id"]: row["complaints"]["on_time"].get(rule.stage or "handling", {}).get("rate")
            for row in rows
        }
    elif rule.kind == LaggardRule.Kind.OVERDUE_ABOVE:
        values = {
            pk: n
            for pk, n in dashboard.overdue_counts(jurisdiction, today, by="department").items()
            if pk is not None
        }
    else:
        return []  # ledger rules have no departments
    departments = Organisation.objects.in_bulk([pk for pk, v in values.items() if fires(rule, v)])
    return [
        Flag(rule, "department", d.region_code, d.name, values[pk], department_id=pk)
        for pk, d in departments.items()
        if d.kind == Organisation.Kind.HANDLING_DEPARTMENT
    ]


def _region_name(code: str) -> str:
    region = regions.lookup(code)
    return region.name if region else code

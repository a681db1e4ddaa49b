"""Laggard rules fire exactly at their thresholds: strictly below a rate, strictly
above a count, and "not falling" when the arrears now are not below those of
`threshold` months ago."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qingqian.core.models import AuditEvent
from qingqian.demo_complaints import seed_demo_complaints
from qingqian.supervision.dashboard import laggards
from qingqian.supervision.dashboard import selectors as dashboard
from qingqian.supervision.dashboard import services as rule_services
from qingqian.supervision.models import ComplaintTally, LaggardRule, LedgerSnapshot
from qingqian.supervision.periods import Jurisdiction, add_months

XINJIANG = "650000"  # no demo data: the tallies below are all it has


@pytest.fixture
def only(db):
    """only(kind, level, threshold, stage="") → that rule is the only active one."""

    def make(kind, level, threshold, stage=""):
        LaggardRule.objects.update(active=False)
        return LaggardRule.objects.create(
            kind=kind, level=level, stage=stage, threshold=Decimal(threshold), window_months=12
        )

    return make


def flagged(user, code):
    return [f for f in laggards.laggards(actor=user("supervisor")) if f.code == code]


def handling_clocks(met: int, breached: int) -> None:
    month = timezone.localdate().replace(day=1)
    for measure, n in (("handling_met", met), ("handling_breached", breached)):
        ComplaintTally.objects.update_or_create(
            grain="p",
            region_code=XINJIANG,
            month=month,
            debtor_type="agency",
            measure=measure,
            defaults={"count": n},
        )


def test_on_time_rate_fires_strictly_below(only, user):
    only("on_time_below", "province", "80", stage="handling")
    handling_clocks(met=4, breached=1)  # 80.0 %: at the threshold
    assert flagged(user, XINJIANG) == []
    handling_clocks(met=3, breached=1)  # 75.0 %
    [flag] = flagged(user, XINJIANG)
    assert flag.value == Decimal("75.0")
    handling_clocks(met=0, breached=0)  # nothing to rate: no verdict
    assert flagged(user, XINJIANG) == []


def test_window_leaves_out_older_months(only, user):
    only("on_time_below", "province", "80", stage="handling")
    old = add_months(timezone.localdate().replace(day=1), -12)
    ComplaintTally.objects.create(
        grain="p", region_code=XINJIANG, month=old, debtor_type="agency",
        measure="handling_breached", count=9,
    )  # fmt: skip
    handling_clocks(met=1, breached=0)
    assert flagged(user, XINJIANG) == []


def test_overdue_count_fires_strictly_above(only, user):
    seed_demo_complaints()
    overdue = dashboard.overdue_counts(Jurisdiction(""), timezone.localdate(), "province")
    n = overdue["44"]
    assert n > 0
    only("overdue_above", "province", str(n))
    assert flagged(user, "440000") == []
    only("overdue_above", "province", str(n - 1))
    [flag] = flagged(user, "440000")
    assert flag.value == n


def test_clearance_rate_fires_strictly_below(only, user, make_item):
    item = make_item(owed_fen=1000_00)
    from qingqian.ledger import services as ledger

    ledger.payment_record(
        actor=user("gd-intake"), item=item, paid_on=date(2026, 1, 5), amount_fen=400_00,
        method="transfer",
    )  # fmt: skip
    rate = dashboard.ledger_figures(dashboard.ledger_totals(Jurisdiction("44"))[None])[
        "clearance_rate"
    ]
    only("clearance_below", "province", str(rate))
    assert flagged(user, "440000") == []
    only("clearance_below", "province", str(rate + Decimal("0.1")))
    assert flagged(user, "440000")[0].value == rate


def test_not_falling_compares_with_the_snapshot_months_ago(only, user, make_item):
    make_item(owed_fen=500_00)
    now = dashboard.ledger_figures(dashboard.ledger_totals(Jurisdiction("44"))[None])[
        "undisputed_outstanding_fen"
    ]
    then = add_months(timezone.localdate().replace(day=1), -3)
    snapshot = LedgerSnapshot.objects.create(
        month=then, grain="p", region_code="440000", undisputed_outstanding_fen=now
    )
    only("not_falling", "province", "3")
    assert len(flagged(user, "440000")) == 1  # equal: it has not fallen
    snapshot.undisputed_outstanding_fen = now + 1
    snapshot.save()
    assert flagged(user, "440000") == []  # it fell by one fen


def test_only_the_national_administrator_sets_rules(user):
    rule = LaggardRule.objects.first()
    rule.threshold = Decimal("85")
    with pytest.raises(PermissionDenied):
        rule_services.laggard_rule_save(actor=user("supervisor"), rule=rule)
    before = AuditEvent.objects.count()
    rule_services.laggard_rule_save(actor=user("admin"), rule=rule, changed=["threshold"])
    assert AuditEvent.objects.count() == before + 1
    rule.kind, rule.stage = "on_time_below", ""
    with pytest.raises(ValidationError) as refused:
        rule_services.laggard_rule_save(actor=user("admin"), rule=rule)
    assert "stage" in refused.value.message_dict


def test_rules_of_one_grain_and_window_count_once_and_judge_their_own_stage(only, user):
    """Three on-time rules of the province grain and one window read the
    figures once (the dashboard shows every rule on each visit)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    only("on_time_below", "province", "80", stage="handling")
    with CaptureQueriesContext(connection) as one_rule:
        flagged(user, XINJIANG)
    for stage in ("transfer", "review"):
        LaggardRule.objects.create(
            kind="on_time_below", level="province", stage=stage,
            threshold=Decimal("80"), window_months=12,
        )  # fmt: skip
    handling_clocks(met=3, breached=1)  # handling 75.0 %; nothing to rate in the others
    with CaptureQueriesContext(connection) as three_rules:
        flags = flagged(user, XINJIANG)
    assert [(f.rule.stage, f.value) for f in flags] == [("handling", Decimal("75.0"))]
    assert len(three_rules) == len(one_rule)

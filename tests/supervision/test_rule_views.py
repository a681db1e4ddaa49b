"""The national administrator sets laggard-rule thresholds in the product: a page
reached from the dashboard, a preview of what the new threshold would flag before
saving, and an audited save."""

from decimal import Decimal

import pytest
from django.utils import timezone

from qingqian.core.models import AuditEvent
from qingqian.supervision import verbs
from qingqian.supervision.models import ComplaintTally, LaggardRule

XINJIANG = "650000"  # no demo data: the tallies below are all it has


@pytest.fixture
def rule(db):
    """The only active rule: handling on time below 50 %, Xinjiang at 75 %."""
    LaggardRule.objects.update(active=False)
    month = timezone.localdate().replace(day=1)
    for measure, n in (("handling_met", 3), ("handling_breached", 1)):
        ComplaintTally.objects.create(
            grain="p",
            region_code=XINJIANG,
            month=month,
            debtor_type="agency",
            measure=measure,
            count=n,
        )
    return LaggardRule.objects.create(
        kind="on_time_below", level="province", stage="handling", threshold=Decimal("50")
    )


def form(threshold, **extra):
    return {"threshold": threshold, "window_months": 12, "active": "on", **extra}


def test_only_the_national_administrator_sets_rules(client_for, rule):
    admin = client_for("admin")
    assert 'data-testid="laggard-rules"' in admin.get("/supervision/").content.decode()
    assert admin.get("/supervision/rules/").status_code == 200
    assert admin.get(f"/supervision/rules/{rule.pk}/").status_code == 200
    supervisor = client_for("supervisor")
    assert 'data-testid="laggard-rules"' not in supervisor.get("/supervision/").content.decode()
    assert supervisor.get("/supervision/rules/").status_code == 403
    assert supervisor.post(f"/supervision/rules/{rule.pk}/", form("80")).status_code == 403
    assert client_for("gd-intake").get("/supervision/rules/").status_code == 403
    rule.refresh_from_db()
    assert rule.threshold == Decimal("50")


def test_preview_shows_what_the_new_threshold_would_flag_without_saving(client_for, rule):
    admin = client_for("admin")
    audited = AuditEvent.objects.count()
    page = admin.post(f"/supervision/rules/{rule.pk}/", form("80", preview="1"))
    shown = page.content.decode()
    assert 'data-testid="rule-preview-result"' in shown
    assert "新疆维吾尔自治区" in shown and "75.0" in shown  # 75 % < 80 %: flagged
    rule.refresh_from_db()
    assert rule.threshold == Decimal("50") and AuditEvent.objects.count() == audited
    page = admin.post(f"/supervision/rules/{rule.pk}/", form("75", preview="1"))
    assert "新疆维吾尔自治区" not in page.content.decode()  # strictly below only


def test_saving_changes_the_threshold_with_an_audit_event(client_for, rule):
    response = client_for("admin").post(f"/supervision/rules/{rule.pk}/", form("80"))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.threshold == Decimal("80")
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.verb == verbs.RULE_CHANGE
    assert Decimal(event.payload["threshold"]) == 80 and event.payload["changed"] == ["threshold"]


def test_a_bad_threshold_is_refused_naming_the_field(client_for, rule):
    audited = AuditEvent.objects.count()
    page = client_for("admin").post(f"/supervision/rules/{rule.pk}/", form("-5"))
    assert page.status_code == 200
    assert "阈值不能为负数。" in page.content.decode()  # the service's message, on its field
    rule.refresh_from_db()
    assert rule.threshold == Decimal("50") and AuditEvent.objects.count() == audited

"""Findings made through the real services, for tests of other things."""

from __future__ import annotations

from qingqian.accounts.models import User
from qingqian.publication.findings import services
from qingqian.publication.models import CreditList, Finding


def sample_list() -> CreditList:
    """Test figures, not a real list's: real lists cite the measures in force."""
    return CreditList.objects.get_or_create(
        code="test-list",
        defaults={
            "name": "测试名单",
            "legal_basis": "《保障中小企业款项支付条例》第二十六条",
            "source": "test data",
            "publication_months": 12,
            "defence_working_days": 5,
            "repair_conditions": "拖欠款项全部清偿",
        },
    )[0]


def decided_finding(item) -> Finding:
    """Proposed by the national supervisor from a ledger item, decided by the administrator."""
    supervisor, admin = User.objects.get(username="supervisor"), User.objects.get(username="admin")
    finding = services.finding_propose(actor=supervisor, origin=item, grounds="经督办仍不支付")
    services.finding_review(actor=supervisor, finding=finding, note="依据充分")
    return services.finding_decide(
        actor=admin,
        finding=finding,
        credit_list=sample_list(),
        legal_basis="第二十六条",
        facts="逾期",
    )


def published_finding(item) -> Finding:
    """Decided, notified on 2026-09-30 (five working days to 2026-10-13) and listed
    from 2026-10-14."""
    from datetime import date

    admin = User.objects.get(username="admin")
    finding = services.finding_notify(
        actor=admin, finding=decided_finding(item), on=date(2026, 9, 30)
    )
    return services.finding_publish(actor=admin, finding=finding, on=date(2026, 10, 14))

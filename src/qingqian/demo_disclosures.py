"""The demo's annual disclosure: 粤海城建 (debtor-demo) files its 2025 disclosure
in May 2026 saying it had no overdue SME contracts; where the demo ledger holds
overdue items of it at the end of 2025, Guangdong's authority sees the flag.
Idempotent: it files once."""

from __future__ import annotations

from datetime import date

from qingqian.accounts.models import User
from qingqian.publication.disclosures import selectors, services
from qingqian.publication.models import Disclosure, DisclosurePeriod

FILED_ON = date(2026, 5, 20)  # inside the large enterprises' window
REASON = "年末前已与相关中小企业达成付款安排，视为无逾期。"


def seed_demo_disclosures() -> int:
    """File the demo disclosure (once); returns 1 when filed, 0 when already there."""
    services.disclosure_periods_seed(actor=None)
    period = DisclosurePeriod.objects.filter(year=2025, filer_group="enterprise").first()
    rep = User.objects.filter(username="debtor-demo").first()
    if period is None or rep is None or rep.enterprise is None:
        return 0
    if Disclosure.objects.filter(period=period, enterprise=rep.enterprise).exists():
        return 0
    ledger = selectors.ledger_at_year_end(enterprise_id=rep.enterprise_id, year=period.year)
    services.disclosure_file(
        actor=rep,
        period=period,
        enterprise=rep.enterprise,
        has_overdue=False,
        overdue_count=0,
        overdue_amount_fen=0,
        count_reason=REASON if ledger.count else "",
        amount_reason=REASON if ledger.amount_fen else "",
        on=FILED_ON,
    )
    return 1

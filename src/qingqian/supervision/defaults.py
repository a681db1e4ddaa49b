"""The laggard rules a new platform starts with (the national administrator edits them)."""

from decimal import Decimal

DEFAULT_RULES = [
    # (kind, level, stage, threshold, window months)
    ("on_time_below", "province", "review", Decimal("90"), 12),
    ("on_time_below", "province", "transfer", Decimal("90"), 12),
    ("on_time_below", "province", "handling", Decimal("80"), 12),
    ("overdue_above", "province", "", Decimal("10"), 12),
    ("clearance_below", "province", "", Decimal("75"), 12),
    ("not_falling", "province", "", Decimal("3"), 12),
    ("on_time_below", "city", "handling", Decimal("80"), 12),
    ("overdue_above", "city", "", Decimal("5"), 12),
    ("on_time_below", "department", "handling", Decimal("80"), 12),
    ("overdue_above", "department", "", Decimal("3"), 12),
]

# The periodic information reports (信息报送) a new platform starts with:
# (code, name, frequency, due working days after the period, figure keys in order).
# The keys are those `qingqian.supervision.reports.figures` can prefill.
_COMPLAINT_KEYS = [
    "received",
    "accepted",
    "not_accepted",
    "transferred",
    "resolved",
    "closed",
]
_CLOCK_KEYS = ["transfer_met", "transfer_breached", "handling_met", "handling_breached"]
_LEDGER_KEYS = [
    "identified_fen",
    "cleared_fen",
    "outstanding_fen",
    "undisputed_outstanding_fen",
    "legal_route_fen",
]
DEFAULT_REPORTS = [
    (
        "monthly-progress",
        "清欠工作进展月报",
        "monthly",
        5,
        [*_COMPLAINT_KEYS, "overdue_now", "outstanding_fen", "undisputed_outstanding_fen"],
    ),
    (
        "quarterly-summary",
        "清欠工作季度报告",
        "quarterly",
        10,
        [*_COMPLAINT_KEYS, *_CLOCK_KEYS, "overdue_now", *_LEDGER_KEYS],
    ),
    (
        # Regulations 2025 Art. 22: arrears reported to the supervisors every year.
        "annual-arrears",
        "年度拖欠中小企业款项情况报告",
        "annual",
        20,
        [*_LEDGER_KEYS, "received", "resolved", "closed"],
    ),
]

# The default reports' names for English readers (an administrator names the others).
DEFAULT_REPORT_NAMES_EN = {
    "monthly-progress": "Monthly progress report on clearing arrears",
    "quarterly-summary": "Quarterly report on clearing arrears",
    "annual-arrears": "Annual report on arrears owed to SMEs",
}

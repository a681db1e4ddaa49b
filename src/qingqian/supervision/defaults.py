"""The laggard rules a new platform starts with (the national administrator edits them)."""

from decimal import Decimal

DEFAULT_RULES = [
    # (kind, level, stage, threshold, window months)
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

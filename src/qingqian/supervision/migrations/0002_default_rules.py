"""The laggard rules a new platform starts with; the national administrator edits them."""

from decimal import Decimal

from django.db import migrations

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


def add_rules(apps, schema_editor):
    LaggardRule = apps.get_model("supervision", "LaggardRule")
    for kind, level, stage, threshold, window in DEFAULT_RULES:
        LaggardRule.objects.create(
            kind=kind, level=level, stage=stage, threshold=threshold, window_months=window
        )


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]

"""Installations made before the review stage had a default laggard rule get it now
(a province whose complaints sit unreviewed past their due dates is flagged)."""

from decimal import Decimal

from django.db import migrations


def add_review_rule(apps, schema_editor):
    LaggardRule = apps.get_model("supervision", "LaggardRule")
    if not LaggardRule.objects.filter(kind="on_time_below", stage="review").exists():
        LaggardRule.objects.create(
            kind="on_time_below",
            level="province",
            stage="review",
            threshold=Decimal("90"),
            window_months=12,
        )


class Migration(migrations.Migration):
    dependencies = [("supervision", "0007_campaign_targets")]
    operations = [migrations.RunPython(add_review_rule, migrations.RunPython.noop)]

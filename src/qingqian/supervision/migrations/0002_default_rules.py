"""The laggard rules a new platform starts with; the national administrator edits them."""

from django.db import migrations

from qingqian.supervision.defaults import DEFAULT_RULES



def add_rules(apps, schema_editor):
    LaggardRule = apps.get_model("supervision", "LaggardRule")
    for kind, level, stage, threshold, window in DEFAULT_RULES:
        LaggardRule.objects.create(
            kind=kind, level=level, stage=stage, threshold=threshold, window_months=window
        )


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]

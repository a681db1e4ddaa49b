"""The disclosure periods a new platform starts with; the national administrator edits them."""

from decimal import Decimal

from django.db import migrations

from qingqian.publication.disclosures import defaults


def add_periods(apps, schema_editor):
    DisclosurePeriod = apps.get_model("publication", "DisclosurePeriod")
    for year, group, opens_on, due_on, source in defaults.DEFAULT_PERIODS:
        DisclosurePeriod.objects.get_or_create(
            year=year,
            filer_group=group,
            defaults={
                "opens_on": opens_on,
                "due_on": due_on,
                "remind_before_working_days": defaults.DEFAULT_REMIND_BEFORE,
                "remind_after_working_days": defaults.DEFAULT_REMIND_AFTER,
                "tolerance_fen": defaults.DEFAULT_TOLERANCE_FEN,
                "tolerance_percent": Decimal(defaults.DEFAULT_TOLERANCE_PERCENT),
                "source": source,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("publication", "0002_register_name_index")]
    operations = [migrations.RunPython(add_periods, migrations.RunPython.noop)]

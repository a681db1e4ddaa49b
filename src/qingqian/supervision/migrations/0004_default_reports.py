"""The periodic information reports (信息报送) a new platform starts with."""

from django.db import migrations

from qingqian.supervision.defaults import DEFAULT_REPORTS


def add_reports(apps, schema_editor):
    ReportDefinition = apps.get_model("supervision", "ReportDefinition")
    ReportFigure = apps.get_model("supervision", "ReportFigure")
    for code, name, frequency, due_working_days, keys in DEFAULT_REPORTS:
        definition, created = ReportDefinition.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "frequency": frequency,
                "due_working_days": due_working_days,
            },
        )
        if not created:
            continue
        ReportFigure.objects.bulk_create(
            ReportFigure(definition=definition, key=key, position=position)
            for position, key in enumerate(keys, start=1)
        )


def remove_reports(apps, schema_editor):
    ReportDefinition = apps.get_model("supervision", "ReportDefinition")
    codes = [code for code, *_rest in DEFAULT_REPORTS]
    ReportDefinition.objects.filter(code__in=codes, reports__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0003_reports")]
    operations = [migrations.RunPython(add_reports, remove_reports)]

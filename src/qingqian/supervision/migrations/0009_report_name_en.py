"""The report definitions' names for English readers."""

from django.db import migrations, models

from qingqian.supervision.defaults import DEFAULT_REPORT_NAMES_EN


def name_default_reports(apps, schema_editor):
    ReportDefinition = apps.get_model("supervision", "ReportDefinition")
    for code, name_en in DEFAULT_REPORT_NAMES_EN.items():
        ReportDefinition.objects.filter(code=code, name_en="").update(name_en=name_en)


class Migration(migrations.Migration):
    dependencies = [("supervision", "0008_review_on_time_rule")]
    operations = [
        migrations.AddField(
            model_name="reportdefinition",
            name="name_en",
            field=models.CharField(blank=True, max_length=120, verbose_name="name in English"),
        ),
        migrations.AlterModelOptions(
            name="provincialreport",
            options={
                "ordering": ["-period_start", "definition", "province_code"],
                "verbose_name": "provincial report",
                "verbose_name_plural": "provincial reports",
            },
        ),
        migrations.RunPython(name_default_reports, migrations.RunPython.noop),
    ]

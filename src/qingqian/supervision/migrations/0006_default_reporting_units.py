"""The default reporting units: the 31 mainland provincial-level SME authorities
directly under the national one. Reports generated for Taiwan, Hong Kong or
Macao (which have no SME authority in the programme) were never due: removed."""

import datetime

from django.db import migrations

CAMPAIGN_START = datetime.date(2018, 11, 1)  # the default units report for every period
NO_AUTHORITY_PREFIXES = ("71", "81", "82")


def add_units(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    ReportingUnit = apps.get_model("supervision", "ReportingUnit")
    ProvincialReport = apps.get_model("supervision", "ProvincialReport")
    provincial = Organisation.objects.filter(
        kind="provincial", parent__kind="national", is_active=True
    ).order_by("region_code", "pk")
    taken = set()
    for organisation in provincial:
        code = organisation.region_code
        if code[:2] in NO_AUTHORITY_PREFIXES or code in taken:
            continue
        taken.add(code)
        ReportingUnit.objects.get_or_create(
            organisation=organisation, defaults={"since": CAMPAIGN_START}
        )
    for prefix in NO_AUTHORITY_PREFIXES:
        ProvincialReport.objects.filter(province_code__startswith=prefix).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_organisation_is_active"),
        ("supervision", "0005_reporting_units"),
    ]
    operations = [migrations.RunPython(add_units, migrations.RunPython.noop)]

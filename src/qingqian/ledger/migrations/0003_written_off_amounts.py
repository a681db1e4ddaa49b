
import django.db.models.expressions
from django.db import migrations, models
from django.db.models import Count, F, Sum

WRITTEN_OFF = "written_off"


def written_off_amounts(apps, schema_editor):
    """Items written off before amounts were kept had their whole outstanding
    amount written off: record it as such, and recount their totals rows."""
    LedgerItem = apps.get_model("ledger", "LedgerItem")
    LedgerTotal = apps.get_model("ledger", "LedgerTotal")
    items = LedgerItem.objects.filter(status=WRITTEN_OFF)
    items.update(written_off_fen=F("owed_fen") - F("paid_fen"), disputed_fen=0)
    LedgerTotal.objects.filter(status=WRITTEN_OFF).delete()
    rows = items.values("region_code", "province_code", "debtor_type").annotate(
        n=Count("id"),
        owed=Sum("owed_fen"),
        paid=Sum("paid_fen"),
        written_off=Sum("written_off_fen"),
    )
    LedgerTotal.objects.bulk_create(
        LedgerTotal(
            region_code=row["region_code"],
            province_code=row["province_code"],
            debtor_type=row["debtor_type"],
            status=WRITTEN_OFF,
            category="undisputed",
            items=row["n"],
            owed_fen=row["owed"],
            paid_fen=row["paid"],
            disputed_fen=0,
            written_off_fen=row["written_off"],
        )
        for row in rows
    )


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_organisation_is_active'),
        ('ledger', '0002_evidence'),
        ('parties', '0002_enterprise_is_central'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='ledgeritem',
            name='ledger_disputed_within_outstanding',
        ),
        migrations.AddField(
            model_name='ledgeritem',
            name='written_off_fen',
            field=models.BigIntegerField(db_default=0, default=0, verbose_name='amount written off (fen)'),
        ),
        migrations.AddField(
            model_name='ledgertotal',
            name='written_off_fen',
            field=models.BigIntegerField(default=0),
        ),
        migrations.RunPython(written_off_amounts, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='ledgeritem',
            constraint=models.CheckConstraint(condition=models.Q(('written_off_fen__gte', 0)), name='ledger_written_off_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='ledgeritem',
            constraint=models.CheckConstraint(condition=models.Q(('disputed_fen__lte', django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.F('owed_fen'), '-', models.F('paid_fen')), '-', models.F('written_off_fen')))), name='ledger_disputed_within_outstanding'),
        ),
    ]

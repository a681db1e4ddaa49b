
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0005_channel_transfers_and_source_reference'),
    ]

    operations = [
        migrations.AddField(
            model_name='complaint',
            name='result_basis',
            field=models.TextField(blank=True, verbose_name='basis of the amounts'),
        ),
        migrations.AddField(
            model_name='complaint',
            name='result_confirmed_fen',
            field=models.BigIntegerField(default=0, verbose_name='amount confirmed (fen)'),
        ),
        migrations.AddField(
            model_name='complaint',
            name='result_disputed_fen',
            field=models.BigIntegerField(default=0, verbose_name='amount disputed (fen)'),
        ),
        migrations.AddField(
            model_name='complaint',
            name='result_paid_fen',
            field=models.BigIntegerField(default=0, verbose_name='amount paid during handling (fen)'),
        ),
        migrations.AddField(
            model_name='complaint',
            name='result_planned_fen',
            field=models.BigIntegerField(default=0, verbose_name='amount in a repayment plan (fen)'),
        ),
        migrations.AlterField(
            model_name='complaint',
            name='result_kind',
            field=models.CharField(blank=True, choices=[('paid', 'paid in full'), ('plan', 'repayment plan agreed'), ('disputed', 'disputed: referred to the legal route'), ('other', 'other'), ('partly', 'partly confirmed, partly disputed')], max_length=10, verbose_name='result'),
        ),
    ]

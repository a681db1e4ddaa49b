"""Indexes that serve the ledger list's search on PostgreSQL (`selectors.search_q`):
a trigram GIN index on enterprise names (a name fragment, Chinese included),
and pattern indexes for credit code and contract number prefixes (LIKE 'x%'
uses a plain b-tree only under the C collation).

PostgreSQL only: SQLite answers the same queries correctly by scanning, and
these indexes would only slow its imports. The parties' table is indexed here
because the ledger's search is what needs it."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models


def search_indexes(apps):
    enterprise = apps.get_model("parties", "Enterprise")
    item = apps.get_model("ledger", "LedgerItem")
    return [
        (
            enterprise,
            GinIndex(OpClass("name", name="gin_trgm_ops"), name="parties_name_trgm"),
        ),
        (
            enterprise,
            models.Index(
                fields=["uscc"], name="parties_uscc_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ),
        (
            item,
            models.Index(
                fields=["contract_number"],
                name="ledger_contract_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
    ]


def add_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in search_indexes(apps):
            schema_editor.add_index(model, index)


def remove_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in search_indexes(apps):
            schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0002_evidence"),
        ("parties", "0002_enterprise_is_central"),
    ]

    operations = [
        TrigramExtension(),  # does nothing on other databases
        migrations.RunPython(add_search_indexes, remove_search_indexes),
    ]

"""Indexes that serve the ledger list's search on PostgreSQL (`selectors.search_q`):
a trigram GIN index on enterprise names (a name fragment, Chinese included), a
GIN index of their two-character pieces (for two-character fragments),
and pattern indexes for credit code and contract number prefixes (LIKE 'x%'
uses a plain b-tree only under the C collation).

PostgreSQL only: SQLite answers the same queries correctly by scanning, and
these indexes would only slow its imports. The parties' table is indexed here
because the ledger's search is what needs it."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models


def search_indexes(apps):
    enterprise = apps.get_model("parties", "Enterprise")
    item = apps.get_model("ledger", "LedgerItem")
    return [
        (
            enterprise,
            GinIndex(fields=["name"], name="parties_name_trgm", opclasses=["gin_trgm_ops"]),
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


# Trigrams need three characters; a two-character name (路桥, 鑫隆) is served by
# the name's bigrams instead. IMMUTABLE: it depends on its argument only.
BIGRAMS_FUNCTION = """
CREATE FUNCTION ledger_bigrams(text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT coalesce(array_agg(DISTINCT substr($1, i, 2)), '{}')
   FROM generate_series(1, char_length($1) - 1) AS i $$
"""
BIGRAMS_INDEX = (
    "CREATE INDEX parties_name_bigrams ON parties_enterprise USING gin (ledger_bigrams(name))"
)


def add_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model, index in search_indexes(apps):
            schema_editor.add_index(model, index)
        schema_editor.execute(BIGRAMS_FUNCTION)
        schema_editor.execute(BIGRAMS_INDEX)


def remove_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX parties_name_bigrams")
        schema_editor.execute("DROP FUNCTION ledger_bigrams(text)")
        for model, index in search_indexes(apps):
            schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0003_written_off_amounts"),
        ("parties", "0002_enterprise_is_central"),
    ]

    operations = [
        TrigramExtension(),  # does nothing on other databases
        migrations.RunPython(add_search_indexes, remove_search_indexes),
    ]

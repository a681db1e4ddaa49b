"""The public register's name search on SQLite: an FTS5 table of the enterprises'
names as two-character pieces (qingqian.core.namesearch), kept by triggers, so a
fragment of any two or more characters is found through the index, not a scan.

The triggers call `qq_name_bigrams`, which the platform's SQLite backend gives
every connection: write to the enterprises only through the platform. PostgreSQL
needs nothing here: ledger migration 0004 gave it trigram and bigram indexes."""

from django.db import migrations

CREATE = [
    "CREATE VIRTUAL TABLE publication_enterprise_names USING fts5(grams, tokenize='unicode61')",
    """CREATE TRIGGER publication_enterprise_names_insert AFTER INSERT ON parties_enterprise
       BEGIN INSERT INTO publication_enterprise_names(rowid, grams)
             VALUES (new.id, qq_name_bigrams(new.name)); END""",
    """CREATE TRIGGER publication_enterprise_names_update AFTER UPDATE OF name ON parties_enterprise
       BEGIN UPDATE publication_enterprise_names SET grams = qq_name_bigrams(new.name)
             WHERE rowid = new.id; END""",
    """CREATE TRIGGER publication_enterprise_names_delete AFTER DELETE ON parties_enterprise
       BEGIN DELETE FROM publication_enterprise_names WHERE rowid = old.id; END""",
    """INSERT INTO publication_enterprise_names(rowid, grams)
       SELECT id, qq_name_bigrams(name) FROM parties_enterprise""",
]
DROP = [
    "DROP TRIGGER publication_enterprise_names_delete",
    "DROP TRIGGER publication_enterprise_names_update",
    "DROP TRIGGER publication_enterprise_names_insert",
    "DROP TABLE publication_enterprise_names",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("publication", "0001_initial"),
        ("parties", "0004_enterprise_size_declared"),
    ]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]

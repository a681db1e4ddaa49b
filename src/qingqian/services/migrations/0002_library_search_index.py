"""The library's full-text index in each database's own engine.

SQLite: an FTS5 table (rowid = the entry's id) of the entries' segmented text,
one column per language; the service that saves an entry keeps it in step.
PostgreSQL: GIN indexes on to_tsvector('simple', ...) of the same columns of
the entries' table, so the index follows every save without triggers."""

from django.db import migrations

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE services_library_fts USING fts5(zh, en, tokenize='unicode61')",
]
SQLITE_DROP = ["DROP TABLE services_library_fts"]
POSTGRES_CREATE = [
    "CREATE INDEX services_library_zh_fts ON services_libraryentry "
    "USING GIN (to_tsvector('simple', segments_zh))",
    "CREATE INDEX services_library_en_fts ON services_libraryentry "
    "USING GIN (to_tsvector('simple', segments_en))",
]
POSTGRES_DROP = ["DROP INDEX services_library_en_fts", "DROP INDEX services_library_zh_fts"]


def _run(sqlite, postgres):
    def run(apps, schema_editor):
        statements = {"sqlite": sqlite, "postgresql": postgres}.get(
            schema_editor.connection.vendor, []
        )
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("services", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run(SQLITE_CREATE, POSTGRES_CREATE), _run(SQLITE_DROP, POSTGRES_DROP)
        )
    ]

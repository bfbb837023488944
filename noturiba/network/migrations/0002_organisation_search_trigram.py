"""On PostgreSQL, a trigram index makes the directory's substring search use an index.

SQLite has no such index; there the search scans a single folded text column, which stays
within the directory's latency target at 30,000 organisations (see BENCHMARKS.md).
"""

from django.db import migrations


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS org_search_trgm_idx "
        "ON network_organisation USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS org_search_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial_directory")]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]

"""On PostgreSQL, a partial index on the organisations marked public, in directory order.

Anonymous visitors see only public organisations: without this index every anonymous
directory page counted its matches by reading the whole organisation table (long description
and search text included). With it, the count and the unfiltered pages read only this small
index: at 30,000 organisations the anonymous count went from 57 ms to 2 ms (BENCHMARKS.md).

Not on SQLite: its planner prefers a partial index whenever the query's WHERE implies it, and
then fetches table rows in index order, which made anonymous counts filtered by municipality
or text twice as slow (14 → 30 ms) while the unfiltered count gained 6 ms.
Raw SQL like 0002, so the model state stays the same on both databases.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS org_public_name_idx "
        "ON network_organisation (name, id) WHERE is_public"
    )


def drop_index(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS org_public_name_idx")


class Migration(migrations.Migration):
    dependencies = [("network", "0003_import_batch")]

    operations = [migrations.RunPython(create_index, drop_index)]

"""A partial index on the organisations marked public, in directory order.

Anonymous visitors see only public organisations: without this index every anonymous
directory page counted its matches by reading the whole organisation table (long description
and search text columns included). With it, the count and the first pages of the unfiltered
list read only this small index (measured in BENCHMARKS.md: on PostgreSQL the anonymous count
went from 57 ms to 2 ms at 30,000 organisations, on SQLite from 6 ms to 0.4 ms).

Raw SQL that both SQLite and PostgreSQL understand, like 0002, because the model does not
declare it (the model's owner may move it into ``Meta.indexes`` with a ``condition``).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("network", "0003_import_batch")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS org_public_name_idx "
            "ON network_organisation (name, id) WHERE is_public",
            "DROP INDEX IF EXISTS org_public_name_idx",
        )
    ]

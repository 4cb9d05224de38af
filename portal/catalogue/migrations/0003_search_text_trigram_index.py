"""A trigram index on ``ServiceItem.search_text``, on PostgreSQL only (ADR 0010, ADR 0013).

PostgreSQL can then answer the search's ``search_text LIKE '%term%'`` from the index for terms of
three characters or more (公积金, 社会保险, 营业执照 …). Shorter terms still scan: a trigram
index cannot narrow a two-character pattern.

On SQLite nothing happens. The model state does not change either (no ``Meta.indexes`` entry:
SQLite has no GIN), so ``makemigrations`` stays quiet on both databases. Reversing drops the
index and leaves the ``pg_trgm`` extension in place, as other objects may use it."""

from django.db import migrations

INDEX = "catalogue_item_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} "
        "ON catalogue_serviceitem USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0002_regions"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]

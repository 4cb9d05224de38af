"""Leave room in each page of the cases table (PostgreSQL), so the daily scan's UPDATE of the
(unindexed) overdue flag can be a heap-only tuple update: no index entry is rewritten."""

from django.db import migrations


def fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE approvals_case SET (fillfactor = 85)")


def no_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE approvals_case RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("approvals", "0001_initial")]

    operations = [migrations.RunPython(fillfactor, no_fillfactor)]

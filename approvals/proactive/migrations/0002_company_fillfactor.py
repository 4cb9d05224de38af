"""Leave room on the company register's pages (PostgreSQL): a licence change rewrites the row in
place (a HOT update, no index entry to write), which keeps batches of events cheap (ADR 0071)."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE proactive_company SET (fillfactor = 80)")
        schema_editor.execute("ALTER TABLE proactive_certificate SET (fillfactor = 90)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE proactive_company RESET (fillfactor)")
        schema_editor.execute("ALTER TABLE proactive_certificate RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("proactive", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]

"""The statistics' triggers again (legal_aid/rollups.py): the application rollup now counts the
cases closed and the time to close, and the recipient and lawyer rollups are kept too."""

from django.db import migrations


def install_rollups(apps, schema_editor):
    from legal_aid import rollups

    rollups.install(schema_editor)


def uninstall_rollups(apps, schema_editor):
    from legal_aid import rollups

    rollups.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("legal_aid", "0008_rota_offers_survey_recipients")]

    operations = [migrations.RunPython(install_rollups, uninstall_rollups, elidable=False)]

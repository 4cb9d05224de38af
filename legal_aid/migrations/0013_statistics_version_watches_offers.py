"""The statistics' version is raised by writes of the case offers too: the staff worklist page,
kept under it, shows a lawyer the applications offered to them (ADR 0123)."""

from django.db import migrations


def install(apps, schema_editor):
    from legal_aid import statistics_version

    statistics_version.install_triggers(schema_editor)


def uninstall(apps, schema_editor):
    from legal_aid import statistics_version

    statistics_version.drop_triggers(schema_editor, ("legal_aid_caseoffer",))


class Migration(migrations.Migration):
    dependencies = [
        ("legal_aid", "0012_english_pension_label"),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]

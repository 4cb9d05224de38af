"""The statistics' version row and the triggers that raise it (legal_aid/statistics_version.py):
the cached statistics are keyed on it."""

from django.db import migrations, models


def install(apps, schema_editor):
    from legal_aid import statistics_version

    statistics_version.install(schema_editor)


def uninstall(apps, schema_editor):
    from legal_aid import statistics_version

    statistics_version.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("legal_aid", "0010_offer_and_standard_labels"),
    ]

    operations = [
        migrations.CreateModel(
            name="StatisticsVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.BigIntegerField(default=0, verbose_name="number")),
            ],
            options={
                "verbose_name": "statistics version",
                "verbose_name_plural": "statistics version",
            },
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]

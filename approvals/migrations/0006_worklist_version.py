"""The worklists' version rows and the triggers that raise them (approvals/worklist_version.py):
the staff worklist pages are kept under them (ADR 0123)."""

from django.db import migrations, models


def install(apps, schema_editor):
    from approvals import worklist_version

    worklist_version.install(schema_editor)


def uninstall(apps, schema_editor):
    from approvals import worklist_version

    worklist_version.uninstall(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('approvals', '0005_worklist_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='WorklistVersion',
            fields=[
                ('scope', models.CharField(max_length=24, primary_key=True, serialize=False, verbose_name='scope')),
                ('number', models.BigIntegerField(default=0, verbose_name='number')),
            ],
            options={
                'verbose_name': 'worklist version',
                'verbose_name_plural': 'worklist versions',
            },
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]

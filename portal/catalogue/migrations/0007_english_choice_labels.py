"""The English labels of the material sources and the list kinds without the Chinese term in
brackets (issue 14 point 10: English pages showed Chinese); labels only, no change to the table."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0006_bundles"),
    ]

    operations = [
        migrations.AlterField(
            model_name="handlinglist",
            name="kind",
            field=models.CharField(
                choices=[
                    ("city_wide", "City-wide handling"),
                    ("regional", "Regional handling"),
                    ("town", "Town / street list"),
                    ("village", "Village / community list"),
                ],
                max_length=16,
                unique=True,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="historicalhandlinglist",
            name="kind",
            field=models.CharField(
                choices=[
                    ("city_wide", "City-wide handling"),
                    ("regional", "Regional handling"),
                    ("town", "Town / street list"),
                    ("village", "Village / community list"),
                ],
                db_index=True,
                max_length=16,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="historicalmaterial",
            name="source",
            field=models.CharField(
                choices=[
                    ("applicant", "Provided by the applicant"),
                    ("shared", "Shared government data"),
                    ("commitment", "Applicant's commitment"),
                ],
                default="applicant",
                max_length=16,
                verbose_name="source",
            ),
        ),
        migrations.AlterField(
            model_name="material",
            name="source",
            field=models.CharField(
                choices=[
                    ("applicant", "Provided by the applicant"),
                    ("shared", "Shared government data"),
                    ("commitment", "Applicant's commitment"),
                ],
                default="applicant",
                max_length=16,
                verbose_name="source",
            ),
        ),
    ]

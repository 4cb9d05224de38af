"""English names of materials and English descriptions of the handling lists (issue 14 point 9:
English pages showed the Chinese material names and list descriptions), filled from the
reference data (portal/catalogue/reference/material_names.csv, the translation table of the
material names that occur, and handling_lists.csv; ``load_reference`` keeps them up to date).
One update per distinct name, not per row."""

from django.db import migrations, models

from portal.catalogue.reference import material_names_en, read


def fill_english(apps, schema_editor):
    Material = apps.get_model("catalogue", "Material")
    for name, name_en in material_names_en().items():
        Material.objects.filter(name=name, name_en="").update(name_en=name_en)
    HandlingList = apps.get_model("catalogue", "HandlingList")
    for row in read("handling_lists.csv"):
        HandlingList.objects.filter(kind=row["kind"], description_en="").update(
            description_en=row["description_en"]
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0004_search_documents")]

    operations = [
        migrations.AddField(
            model_name="historicalmaterial",
            name="name_en",
            field=models.CharField(blank=True, max_length=300, verbose_name="English name"),
        ),
        migrations.AddField(
            model_name="material",
            name="name_en",
            field=models.CharField(blank=True, max_length=300, verbose_name="English name"),
        ),
        migrations.AddField(
            model_name="handlinglist",
            name="description_en",
            field=models.TextField(blank=True, verbose_name="English description"),
        ),
        migrations.AddField(
            model_name="historicalhandlinglist",
            name="description_en",
            field=models.TextField(blank=True, verbose_name="English description"),
        ),
        migrations.RunPython(fill_english, migrations.RunPython.noop),
    ]

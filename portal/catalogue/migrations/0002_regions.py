"""Regions: Qingdao, its ten districts and county-level cities, and the five Jiaodong cities
(GB/T 2260 codes; coordinates are approximate seats of government), from the one data file that
holds them: portal/catalogue/reference/regions.csv (``load_reference`` keeps them up to date)."""

from django.db import migrations

from portal.catalogue.reference import region_rows


def load_regions(apps, schema_editor):
    Region = apps.get_model("catalogue", "Region")
    for row in region_rows():
        Region.objects.update_or_create(code=row.pop("code"), defaults=row)


def unload_regions(apps, schema_editor):
    apps.get_model("catalogue", "Region").objects.filter(
        code__in=[row["code"] for row in region_rows()]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(load_regions, unload_regions)]

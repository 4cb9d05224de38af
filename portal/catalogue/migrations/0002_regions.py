"""Regions: Qingdao, its ten districts and county-level cities, and the five Jiaodong cities
(GB/T 2260 codes; coordinates are approximate seats of government)."""

from decimal import Decimal

from django.db import migrations

# code, name, English name, level, parent code, latitude, longitude, Jiaodong member, note
REGIONS = [
    (
        "370200",
        "青岛市",
        "Qingdao",
        "city",
        "",
        "36.0671",
        "120.3826",
        True,
        "city seat; Jiaodong regional member",
    ),
    ("370202", "市南区", "Shinan District", "district", "370200", "36.0707", "120.4122", False, ""),
    ("370203", "市北区", "Shibei District", "district", "370200", "36.0875", "120.3748", False, ""),
    (
        "370211",
        "黄岛区",
        "Huangdao District (West Coast New Area)",
        "district",
        "370200",
        "35.9606",
        "120.1979",
        False,
        "",
    ),
    (
        "370212",
        "崂山区",
        "Laoshan District",
        "district",
        "370200",
        "36.1072",
        "120.4686",
        False,
        "",
    ),
    ("370213", "李沧区", "Licang District", "district", "370200", "36.1450", "120.4329", False, ""),
    (
        "370214",
        "城阳区",
        "Chengyang District",
        "district",
        "370200",
        "36.3074",
        "120.3961",
        False,
        "",
    ),
    ("370215", "即墨区", "Jimo District", "district", "370200", "36.3893", "120.4473", False, ""),
    ("370281", "胶州市", "Jiaozhou", "county_city", "370200", "36.2644", "120.0335", False, ""),
    (
        "370283",
        "平度市",
        "Pingdu",
        "county_city",
        "370200",
        "36.7869",
        "119.9600",
        False,
        "no-sense approval pilot area",
    ),
    (
        "370285",
        "莱西市",
        "Laixi",
        "county_city",
        "370200",
        "36.8887",
        "120.5177",
        False,
        "no-sense approval pilot area",
    ),
    (
        "370600",
        "烟台市",
        "Yantai",
        "city",
        "",
        "37.4638",
        "121.4479",
        True,
        "Jiaodong regional member",
    ),
    (
        "370700",
        "潍坊市",
        "Weifang",
        "city",
        "",
        "36.7069",
        "119.1619",
        True,
        "Jiaodong regional member",
    ),
    (
        "371000",
        "威海市",
        "Weihai",
        "city",
        "",
        "37.5128",
        "122.1201",
        True,
        "Jiaodong regional member",
    ),
    (
        "371100",
        "日照市",
        "Rizhao",
        "city",
        "",
        "35.4164",
        "119.5269",
        True,
        "Jiaodong regional member",
    ),
]


def load_regions(apps, schema_editor):
    Region = apps.get_model("catalogue", "Region")
    for code, name, name_en, level, parent, lat, lng, jiaodong, note in REGIONS:
        Region.objects.update_or_create(
            code=code,
            defaults=dict(
                name=name,
                name_en=name_en,
                level=level,
                parent_id=parent or None,
                latitude=Decimal(lat),
                longitude=Decimal(lng),
                jiaodong_member=jiaodong,
                note=note,
            ),
        )


def unload_regions(apps, schema_editor):
    apps.get_model("catalogue", "Region").objects.filter(
        code__in=[row[0] for row in REGIONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(load_regions, unload_regions)]

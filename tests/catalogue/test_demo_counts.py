"""The figures of the seeds hold in the demo catalogue, read through the public API filters."""

from __future__ import annotations

import pytest
from django.db.models import F

from portal.catalogue import demo
from portal.catalogue.models import ListEntry, Material, ServiceItem

pytestmark = pytest.mark.django_db

# the seven domains of self-service declarations (figures.md)
SEVEN_DOMAINS = [
    "social_insurance", "medical_insurance", "real_estate", "housing_fund",
    "tax", "administrative_approval", "finance",
]  # fmt: skip


def count(client, **params) -> int:
    response = client.get("/api/v1/items/", params)
    assert response.status_code == 200, response.content
    return response.json()["count"]


def all_results(client, **params) -> list[dict]:
    results, page = [], 1
    while True:
        data = client.get("/api/v1/items/", {**params, "page_size": 100, "page": page}).json()
        results += data["results"]
        if not data["next"]:
            return results
        page += 1


def test_list_counts_through_api_filters(client, demo_db):
    assert count(client, city_wide="true") == 699
    assert count(client, regional="true") == 40
    # the seeds' 20 items for companies, and 3 for individuals (issue 16: health certificate,
    # nurse's registration, road transport qualification)
    assert count(client, proactive="true") == 23
    assert count(client, town="true") == 57
    assert count(client, village="true") == 23


def test_nearby_lists_come_from_8_and_5_departments(client, demo_db):
    town = all_results(client, town="true")
    village = all_results(client, village="true")
    assert len({r["department"]["code"] for r in town}) == 8
    assert len({r["department"]["code"] for r in village}) == 5
    assert {r["department"]["level"] for r in town} == {"town"}
    assert {r["department"]["level"] for r in village} == {"village"}


def test_proactive_items_name_the_seeds_four_at_city_pingdu_laixi(client, demo_db):
    proactive = all_results(client, proactive="true")
    names = {r["name"] for r in proactive}
    assert {
        "建筑企业资质简单变更",
        "电影放映单位变更主要登记事项备案",
        "消毒产品生产企业变更",
        "民办非企业单位登记证书到期换发",
    } <= names
    regions = {r["department"]["region"] for r in proactive}
    assert regions == {"370200", "370283", "370285"}  # city level, Pingdu, Laixi


def test_convenience_and_self_service_declarations(client, demo_db):
    convenience = count(client, kind="convenience", channel="self_service")
    assert convenience == 75
    assert count(client, kind="convenience") == 75
    declarations = count(client, channel="self_service") - convenience
    assert declarations >= 900
    for domain in SEVEN_DOMAINS:
        assert count(client, channel="self_service", domain=domain) > 0, domain


def test_regional_list_names_the_five_jiaodong_cities(client, demo_db):
    data = client.get("/api/v1/lists/regional/").json()
    assert data["count"] == 40
    assert sorted(data["regions"]) == ["370200", "370600", "370700", "371000", "371100"]


def test_history_has_dated_batches_and_removals_off_the_current_list(client, demo_db):
    history = client.get("/api/v1/lists/city_wide/").json()["history"]
    dates = [day["date"] for day in history]
    assert any(d.startswith("2020") for d in dates) and any(d.startswith("2021") for d in dates)
    assert sum(day["added"] for day in history) == 699 + sum(day["removed"] for day in history)
    assert sum(day["removed"] for day in history) > 0
    removed = ListEntry.objects.filter(removed_on__isnull=False).values_list(
        "item_id", "handling_list"
    )
    current = set(
        ListEntry.objects.filter(removed_on__isnull=True).values_list("item_id", "handling_list")
    )
    assert removed and not (set(removed) & current)


def test_materials_limits_and_flags_are_plausible(demo_db):
    items = ServiceItem.objects.all()
    total = items.count()
    assert not items.filter(promised_limit_days__gt=F("legal_limit_days")).exists()
    assert Material.objects.filter(source="commitment").exclude(commitment_text="").exists()
    assert Material.objects.filter(source="shared").exists()
    assert Material.objects.filter(required=False).exists()
    for flag in ("smart_approval", "missing_materials_allowed", "commitment"):
        share = items.filter(**{flag: True}).count() / total
        assert 0.03 < share < 0.25, flag
    assert items.filter(visits_required=0).count() / total > 0.4
    assert items.exclude(fee=0).exists()
    assert len(set(items.values_list("code", flat=True))) == total


def test_loading_twice_changes_nothing(demo_db):
    before = (ServiceItem.objects.count(), Material.objects.count(), ListEntry.objects.count())
    demo.load()
    after = (ServiceItem.objects.count(), Material.objects.count(), ListEntry.objects.count())
    assert after == before

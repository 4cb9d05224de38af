"""The citizen pages: home, item detail (with the panel hook), list pages and history."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings

from portal.catalogue.models import ServiceItem
from portal.registry import registry

pytestmark = pytest.mark.django_db


def test_home_has_search_parts_lists_and_popular_items(client, demo_db):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'action="/search/"' in html and 'name="q"' in html
    assert 'href="/items/"' in html and 'href="/lists/"' in html
    for part in response.context["parts"]:
        for link in part["links"]:
            assert f'href="{link["url"]}"' in html
    titles = [str(part["title"]) for part in response.context["parts"]]
    assert "服务事项与清单" in titles
    assert "社会保险参保证明打印" in html  # the most popular item
    assert "全市通办事项清单" in html and "699 个事项" in html


def test_home_skips_links_that_do_not_resolve(client):
    with registry.isolated():
        registry.add_nav_link("ghost:missing", "Ghost link")
        registry.add_home_part("ghost", title="Ghost", text="", links=["ghost:missing"])
        registry.add_home_part(
            "half", title="Half", text="", links=["ghost:missing", "catalogue:list_index"]
        )
        response = client.get("/")
    html = response.content.decode()
    titles = [str(p["title"]) for p in response.context["parts"]]
    assert response.status_code == 200
    assert "Ghost" not in titles and "Ghost link" not in html
    half = next(p for p in response.context["parts"] if p["title"] == "Half")
    assert [link["url"] for link in half["links"]] == ["/lists/"]
    assert "Half" not in [str(p["title"]) for p in client.get("/").context["parts"]]


def test_item_detail_shows_facts_materials_and_where(client, demo_db):
    item = ServiceItem.objects.filter(
        list_entries__handling_list__kind="regional", list_entries__removed_on__isnull=True,
        department__region_id="370200", materials__source="commitment",
    ).first() or ServiceItem.objects.filter(
        list_entries__handling_list__kind="regional", list_entries__removed_on__isnull=True,
        department__region_id="370200",
    ).first()  # fmt: skip
    response = client.get(f"/items/{item.code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert item.name in html and item.code in html and item.department.name in html
    assert "法定时限" in html and "承诺时限" in html and "收费" in html and "跑动次数" in html
    for material in item.materials.all():
        assert material.name in html
    assert "区域通办" in html
    for city in ("烟台市", "潍坊市", "威海市", "日照市", "青岛市"):
        assert city in html


def test_item_detail_for_a_local_item_names_the_department_region(client, demo_db):
    item = (
        ServiceItem.objects.exclude(list_entries__removed_on__isnull=True)
        .filter(department__region_id="370283")
        .first()
    )
    html = client.get(item.get_absolute_url()).content.decode()
    assert "仅在实施部门所在地办理：平度市" in html


def test_unknown_item_is_404(client):
    assert client.get("/items/NO-SUCH-CODE/").status_code == 404


def test_item_page_renders_registered_panels_with_the_query_string(client, demo_db, tmp_path):
    (tmp_path / "panel.html").write_text(
        '<section id="test-panel">{{ item.code }} @ {{ lat }},{{ lng }}</section>'
    )
    templates = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    item = ServiceItem.objects.first()
    with override_settings(TEMPLATES=templates), registry.isolated():
        registry.add_item_panel("panel.html")
        html = client.get(item.get_absolute_url(), {"lat": "36.07", "lng": "120.38"}).content
    assert f'<section id="test-panel">{item.code} @ 36.07,120.38</section>' in html.decode()


def test_list_index_shows_the_four_lists_with_counts(client, demo_db):
    html = client.get("/lists/").content.decode()
    for name, count in (
        ("全市通办事项清单", 699), ("胶东经济圈区域通办事项清单", 40),
        ("镇（街道）就近办事项清单", 57), ("村（社区）就近办事项清单", 23),
    ):  # fmt: skip
        assert name in html and f"{count} 个事项" in html


def test_list_page_has_count_filters_exports_and_history(client, demo_db):
    response = client.get("/lists/city_wide/")
    html = response.content.decode()
    assert "清单共 699 个事项" in html
    # the 699 implementations are 289 services, each one row with its districts (ADR 0121)
    assert response.context["page_obj"].paginator.count == 289
    first = response.context["page_obj"][0]
    assert f'href="/services/{first.key}/"' in html
    for place in first.places:
        assert f'href="/items/{place.item_code}/"' in html
    assert "/lists/city_wide/export.csv" in html and "export.xlsx" in html and "export.pdf" in html
    assert "2020-03-31" in html and "2021-03-01" in html  # a batch and a removal
    filtered = client.get("/lists/city_wide/", {"domain": "tax"})
    assert 0 < filtered.context["page_obj"].paginator.count < 289
    assert all(group.item.domain == "tax" for group in filtered.context["page_obj"])


def test_regional_list_page_names_the_cities(client, demo_db):
    html = client.get("/lists/regional/").content.decode()
    assert "参与城市" in html
    for city in ("青岛市", "烟台市", "潍坊市", "威海市", "日照市"):
        assert city in html


def test_history_page_lists_removals_item_by_item(client, demo_db):
    response = client.get("/lists/regional/history/")
    events = list(response.context["page_obj"])
    removed = [e for e in events if e["change"] == "removed"]
    assert len(removed) == 3
    assert "调出" in response.content.decode()


def test_unknown_list_is_404(client):
    assert client.get("/lists/galactic/").status_code == 404
    assert client.get("/lists/galactic/export.csv").status_code == 404
    assert client.get("/lists/town/export.doc").status_code == 404

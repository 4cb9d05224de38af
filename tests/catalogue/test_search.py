"""Chinese search: two characters are enough, abbreviations find the full terms."""

from __future__ import annotations

import pytest

from portal.catalogue.selectors import item_queryset, search_items
from tests.factories import DepartmentFactory, ServiceItemFactory

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [r["name"] for r in response.json()["results"]]


def test_shebao_finds_social_insurance_items_on_the_page(client, demo_db):
    response = client.get("/search/", {"q": "社保"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "社会保险参保证明打印" in text
    assert response.context["page_obj"].paginator.count > 50


def test_shebao_finds_social_insurance_items_in_the_api(client, demo_db):
    response = client.get("/api/v1/items/", {"q": "社保", "page_size": 100})
    assert response.status_code == 200
    found = response.json()["results"]
    assert found
    assert sum(r["domain"] == "social_insurance" for r in found) > len(found) / 2


def test_synonym_finds_an_item_without_keywords():
    item = ServiceItemFactory(name="社会保险登记证补办", keywords="")
    other = ServiceItemFactory(name="护照签发", keywords="")
    found = list(search_items(item_queryset(), "社保"))
    assert item in found and other not in found


def test_keywords_carry_abbreviations():
    item = ServiceItemFactory(name="城镇职工基本医疗保险参保登记", keywords="医保 看病")
    assert item in search_items(item_queryset(), "看病")


def test_two_character_substring_of_a_name(client, demo_db):
    response = client.get("/api/v1/items/", {"q": "公积"})
    assert response.json()["count"] > 20
    assert all("公积" in n or "公积" in n for n in names(response))


def test_search_by_code_and_by_department_name(client):
    department = DepartmentFactory(name="青岛市测试服务局")
    item = ServiceItemFactory(code="37020000-XK-9999", name="测试许可", department=department)
    assert item in search_items(item_queryset(), "XK-9999")
    assert item in search_items(item_queryset(), "测试服务局")


def test_all_words_must_match(client):
    both = ServiceItemFactory(name="失业保险待遇申领", keywords="")
    one = ServiceItemFactory(name="失业登记", keywords="")
    found = list(search_items(item_queryset(), "失业 待遇"))
    assert both in found and one not in found


def test_name_matches_come_first(client):
    by_keyword = ServiceItemFactory(name="甲事项", keywords="公积金", popularity=999)
    by_name = ServiceItemFactory(name="住房公积金提取", keywords="", popularity=1)
    found = list(search_items(item_queryset(), "公积金"))
    assert found.index(by_name) < found.index(by_keyword)


def test_no_match_says_so(client):
    response = client.get("/search/", {"q": "不存在的事项名称"})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 0
    assert "没有匹配的事项" in response.content.decode()


def test_search_follows_a_department_rename():
    department = DepartmentFactory(name="青岛市旧名称局")
    item = ServiceItemFactory(name="某某许可", department=department)
    department.name = "青岛市新名称局"
    department.save()
    assert item in search_items(item_queryset(), "新名称局")
    assert item not in search_items(item_queryset(), "旧名称局")


def test_search_follows_an_edit_of_the_item():
    item = ServiceItemFactory(name="甲乙丙", keywords="")
    item.keywords = "丁戊"
    item.save(update_fields=["keywords"])
    assert item in search_items(item_queryset(), "丁戊")

"""Search that understands people (issue 17, ADR 0108): synonyms staff edit, typos with a "did
you mean", one row per service with its districts, the applicant's district first, the same search
in the API and the outlet finder, and a fixed number of queries."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from portal.catalogue.models import BasicService, SearchSynonym, ServiceItem
from portal.catalogue.selectors import item_queryset, search_items, search_services
from tests.factories import (
    BasicServiceFactory,
    DepartmentFactory,
    ServiceItemFactory,
    bulk_basic_services,
)

pytestmark = pytest.mark.django_db

LAOSHAN = "370212"  # 崂山区


def names(result) -> list[str]:
    return [group.item.name for group in result.page.object_list]


def test_marriage_is_one_row_with_its_eleven_places(client, demo_db):
    response = client.get("/search/", {"q": "结婚"})
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.paginator.count == 1
    (group,) = page.object_list
    assert group.item.name == "内地居民结婚登记"
    assert len(group.places) == 11
    text = response.content.decode()
    assert text.count("内地居民结婚登记") == 1
    assert "在 11 个地区办理" in text
    assert "崂山区" in text and "即墨区" in text


def test_the_applicants_district_comes_first(client, demo_db):
    response = client.get("/search/", {"q": "结婚", "district": LAOSHAN})
    group = response.context["page_obj"].object_list[0]
    assert group.item.department.region_id == LAOSHAN
    assert 'aria-current="true">崂山区' in response.content.decode()


def test_a_typo_is_corrected_and_said(client, demo_db):
    response = client.get("/search/", {"q": "社宝"})
    text = response.content.decode()
    assert "您是不是要找" in text and "?q=%E7%A4%BE%E4%BF%9D" in text  # 社保
    assert response.context["result"].corrected
    assert "社会保障卡申领" in text


def test_english_words_find_chinese_services(english, demo_db):
    response = english.get("/search/", {"q": "passport"})
    assert "Issue of an ordinary passport" in response.content.decode()


def test_a_synonym_staff_add_is_searched_at_once(client):
    item = ServiceItemFactory(name="甲类许可证核发", keywords="")
    assert not search_services(item_queryset(), "乙丙丁").count
    SearchSynonym.objects.create(phrase="乙丙丁", expansions="甲类许可")
    assert names(search_services(item_queryset(), "乙丙丁")) == [item.name]
    response = client.get("/search/", {"q": "乙丙丁"})
    assert item.name in response.content.decode()


def test_a_synonym_may_keep_to_one_domain():
    tax = ServiceItemFactory(name="契税变更登记", domain="tax", keywords="")
    company = ServiceItemFactory(
        name="合伙企业变更登记", domain="administrative_approval", keywords=""
    )
    SearchSynonym.objects.create(
        phrase="公司执照", expansions="变更登记", domain="administrative_approval"
    )
    found = list(search_items(item_queryset(), "公司执照"))
    assert company in found and tax not in found


def test_pinyin_and_initials_of_keywords():
    item = ServiceItemFactory(name="某某参保证明打印", keywords="社保")
    assert item in search_items(item_queryset(), "shebao")
    assert item in search_items(item_queryset(), "sb")


def test_materials_are_found_below_names():
    by_material = ServiceItemFactory(name="甲事项", keywords="", popularity=99)
    by_material.materials.create(name="某某登记簿", position=1)
    by_name = ServiceItemFactory(name="某某登记簿查询", keywords="", popularity=1)
    found = list(search_items(item_queryset(), "某某登记簿"))
    assert found.index(by_name) < found.index(by_material)


def test_rebuild_command_writes_documents_again(capsys):
    item = ServiceItemFactory(name="婚姻登记档案查询", keywords="")
    ServiceItem.objects.filter(pk=item.pk).update(search_tokens="", search_name_tokens="")
    assert item not in search_items(item_queryset(), "档案")
    call_command("rebuild_search")
    assert "1 search documents written again" in capsys.readouterr().out
    assert item in search_items(item_queryset(), "档案")


def test_bulk_inserted_items_are_searchable_after_the_rebuild():
    department = DepartmentFactory()
    ServiceItem.objects.bulk_create(
        [ServiceItem(code="BULK-1", name="船舶登记", domain="other", kind="other",
                     department=department, basic=bulk_basic_services(1, "other")[0])]
    )  # fmt: skip
    call_command("rebuild_search")
    assert [i.code for i in search_items(item_queryset(), "船舶")] == ["BULK-1"]


def test_search_api_groups_and_suggests(client, demo_db):
    response = client.get("/api/v1/search/", {"q": "社宝", "page_size": 5})
    assert response.status_code == 200
    body = response.json()
    assert body["suggestion"] == "社保" and body["corrected"] is True
    assert body["results"][0]["item"]["name"]
    response = client.get("/api/v1/search/", {"q": "结婚", "district": LAOSHAN})
    (result,) = response.json()["results"]
    assert result["item"]["department"]["region"] == LAOSHAN
    assert len(result["places"]) == 11


def test_search_api_refuses_bad_input(client):
    assert client.get("/api/v1/search/").status_code == 400
    assert client.get("/api/v1/search/", {"q": "社保", "district": "999999"}).status_code == 400
    assert client.get("/api/v1/search/", {"q": "社保", "page": "x"}).status_code == 400


def test_items_api_ranks_with_the_district(client, demo_db):
    response = client.get("/api/v1/items/", {"q": "结婚", "district": LAOSHAN})
    assert response.json()["results"][0]["department"]["region"] == LAOSHAN


def test_outlet_finder_understands_english_and_typos(demo_db):
    from outlets import selectors

    item, _others = selectors.resolve_item("social security card")
    assert item is not None and "社会保障卡" in item.name
    item, _others = selectors.resolve_item("社宝卡")
    assert item is not None and "社会保障卡" in item.name


@pytest.mark.parametrize("size", [5, 60])
def test_search_page_queries_do_not_grow(client, django_assert_max_num_queries, size):
    department = DepartmentFactory()
    # the demo's service when an earlier test of the module loaded the demo: one service either way
    basic = BasicService.objects.filter(name="内地居民结婚登记").first() or BasicServiceFactory(
        name="内地居民结婚登记", kind="confirmation"
    )
    for n in range(size):
        ServiceItemFactory(
            name="内地居民结婚登记", department=department, code=f"M-{n}", basic=basic
        )
    with django_assert_max_num_queries(10):
        response = client.get("/search/", {"q": "结婚"})
    assert response.context["page_obj"].paginator.count == 1

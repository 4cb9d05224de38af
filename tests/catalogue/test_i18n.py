"""Chinese by default; English by cookie or Accept-Language, names included."""

from __future__ import annotations

import pytest

from portal.catalogue.models import ServiceItem

pytestmark = pytest.mark.django_db


def test_chinese_by_default(client, demo_db):
    html = client.get("/").content.decode()
    assert '<html lang="zh-CN">' in html
    assert "热门服务" in html and "Popular services" not in html


def test_english_by_cookie(english, demo_db):
    html = english.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Popular services" in html and "What you can do here" in html
    assert "Printing of the social insurance enrolment certificate" in html


def test_english_by_accept_language(client, demo_db):
    html = client.get("/lists/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Handling lists" in html and "City-wide handling list" in html
    assert "699 items" in html


def test_item_page_in_english(english, demo_db):
    item = ServiceItem.objects.filter(materials__isnull=False, name_en__gt="").first()
    html = english.get(item.get_absolute_url()).content.decode()
    assert item.name_en in html and item.name in html  # the Chinese name stays as a subtitle
    for label in ("Key facts", "Legal time limit", "Materials", "Where you can apply"):
        assert label in html
    assert item.department.name_en in html


def test_list_and_search_pages_in_english(english, demo_db):
    html = english.get("/search/", {"q": "社保"}).content.decode()
    assert "Search results for" in html and "services found" in html  # one row per service
    html = english.get("/lists/regional/").content.decode()
    assert "Participating cities" in html and "Yantai" in html and "History of the list" in html


def test_english_pages_name_materials_and_summaries_in_english(english, demo_db):
    """Issue 14 point 9: material names, the item's summary and the lists' descriptions were
    Chinese on English pages. Every material name of the reference data has an English name."""
    from portal.catalogue.models import Material

    assert not Material.objects.filter(name_en="").exists()
    item = ServiceItem.objects.filter(materials__name="居民身份证", name_en__gt="").first()
    html = english.get(item.get_absolute_url()).content.decode()
    assert "Resident identity card" in html and "居民身份证" not in html
    assert f"“{item.name_en}” is handled by {item.department.name_en}." in html
    assert item.description not in html
    html = english.get("/lists/").content.decode()
    assert "whatever your household registration" in html
    assert "不受户籍地" not in html


def test_chinese_pages_keep_the_chinese_names_and_summary(client, demo_db):
    item = ServiceItem.objects.filter(materials__name="居民身份证").first()
    html = client.get(item.get_absolute_url()).content.decode()
    assert "居民身份证" in html and "Resident identity card" not in html
    assert item.description in html

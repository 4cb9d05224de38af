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
    assert "Search results for" in html and "items found" in html
    html = english.get("/lists/regional/").content.decode()
    assert "Participating cities" in html and "Yantai" in html and "History of the list" in html

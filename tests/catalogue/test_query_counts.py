"""Pages and API calls run a fixed number of queries, whatever the number of items."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.catalogue.models import ListEntry, ListKind, Material, ServiceItem
from portal.registry import registry
from tests.catalogue.factories import HandlingListFactory
from tests.factories import DepartmentFactory, bulk_basic_services

pytestmark = pytest.mark.django_db

URLS = [
    "/",
    "/items/",
    "/items/?q=事项&city_wide=on",
    "/search/?q=事项",
    "/lists/",
    "/lists/city_wide/",
    "/lists/city_wide/history/",
    "/api/v1/items/",
    "/api/v1/items/?q=事项&regional=true",
    "/api/v1/lists/",
    "/api/v1/lists/city_wide/",
    "/api/v1/departments/",
]
MAX_QUERIES = 9  # a list page: its services, their places and shown items (ADR 0121)


def grow(total: int) -> None:
    """Bring the catalogue to ``total`` items, each with materials and on two lists."""
    department = DepartmentFactory(code="370200-QC")
    lists = [HandlingListFactory(kind=kind) for kind in ListKind.values]
    start = ServiceItem.objects.count()
    basics = bulk_basic_services(total - start, "other", "tax")
    items = ServiceItem.objects.bulk_create(
        ServiceItem(
            code=f"QC-{n:05d}", name=f"测试事项{n}", name_en=f"Item {n}", domain="tax",
            kind="other", department=department, popularity=n, basic=basics[n - start],
        )
        for n in range(start, total)
    )  # fmt: skip
    items = list(ServiceItem.objects.filter(code__in=[i.code for i in items]))
    Material.objects.bulk_create(
        Material(item=item, name=f"材料{m}", position=m) for item in items for m in range(3)
    )
    ListEntry.objects.bulk_create(
        ListEntry(handling_list=lists[n % 4], item=item, added_on=datetime.date(2020, 3, 31))
        for n, item in enumerate(items)
    )
    ListEntry.objects.bulk_create(
        ListEntry(
            handling_list=lists[0], item=item, added_on=datetime.date(2020, 1, 1),
            removed_on=datetime.date(2020, 2, 1),
        )
        for item in items[:: 3]
    )  # fmt: skip


def queries(client, url: str, cached: bool = False) -> int:
    """The queries of one request; a fresh render unless ``cached`` (portal.pagecache keeps the
    anonymous answer of every URL here)."""
    if not cached:
        cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


@pytest.fixture
def core_only():
    """The catalogue's pages without what other apps add (their panels count their own)."""
    with registry.isolated(empty=True):
        yield


@pytest.mark.usefixtures("core_only")
def test_query_counts_do_not_grow_with_the_catalogue(client, django_assert_max_num_queries):
    grow(12)
    small = {url: queries(client, url) for url in URLS}
    small_item = queries(client, "/items/QC-00005/")
    small_api_item = queries(client, "/api/v1/items/QC-00005/")
    grow(300)
    large = {url: queries(client, url) for url in URLS}
    assert large == small
    assert queries(client, "/items/QC-00201/") == small_item
    assert queries(client, "/api/v1/items/QC-00201/") == small_api_item
    for url in URLS:
        with django_assert_max_num_queries(MAX_QUERIES):
            cache.clear()
            client.get(url)
    cache.clear()
    with django_assert_max_num_queries(6):
        client.get("/items/QC-00201/")
    with django_assert_max_num_queries(5):
        client.get("/api/v1/items/QC-00201/")


@pytest.mark.usefixtures("core_only")
def test_a_visitor_s_second_request_is_served_from_the_page_cache_without_queries(client):
    """Pages and API lists, anonymous: the second request of a URL runs no query at all (the
    page, or the API's serialized list, comes from the cache; ADR 0099)."""
    grow(30)
    cached = [url for url in URLS if not url.startswith(("/api/v1/lists", "/api/v1/departments"))]
    for url in [*cached, "/items/QC-00005/"]:
        assert queries(client, url) > 0, url
        assert queries(client, url, cached=True) == 0, url


def test_catalogue_page_and_items_api_run_a_fixed_few_queries(client, django_assert_num_queries):
    grow(60)
    # departments for the filter; the page of services (ADR 0121): count, page, their places,
    # the implementation shown for each
    with django_assert_num_queries(5):
        client.get("/items/")
    with django_assert_num_queries(4):  # another page: the department select is cached
        client.get("/items/?page=2")
    with django_assert_num_queries(2):  # count, page (membership via EXISTS in the same row)
        client.get("/api/v1/items/")

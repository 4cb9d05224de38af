"""A page or API call runs a fixed number of queries whatever the number of outlets or items."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import (
    OutletFactory,
    SelfServiceItemFactory,
    TerminalFactory,
    publish_items,
    weekday_hours,
)

pytestmark = pytest.mark.django_db


def build(n_outlets: int, n_items: int):
    items = [SelfServiceItemFactory(code=f"Q-{n_items}-{i}") for i in range(n_items)]
    outlets = []
    for n in range(n_outlets):
        outlet = OutletFactory(code=f"Q{n_items}-{n:03d}", latitude=36 + n / 100)
        weekday_hours(outlet)
        terminals = [
            TerminalFactory(outlet=outlet, code=f"Q{n_items}-{n:03d}-T{t}") for t in range(3)
        ]
        publish_items(outlet, items, terminals={items[0]: terminals[:2]})
        outlets.append(outlet)
    return items, outlets


def count(client, url, data=None) -> int:
    client.get(url, data or {})  # warm the per-process caches (working-day corrections)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data or {})
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("url", "data", "limit"),
    [
        ("outlets:finder", {"q": "Q-", "origin": "370202", "open_now": "on"}, 6),
        ("outlets:finder", {"district": "370202", "kind": "service_hall"}, 5),
        ("outlets:city_list", {}, 4),
        ("api", {"near": "36.0,120.4", "open_now": "true"}, 8),
    ],
)
def test_list_pages_do_not_grow_with_the_data(
    client, django_assert_max_num_queries, url, data, limit
):
    target = "/api/v1/outlets/" if url == "api" else reverse(url)
    build(3, 3)
    small = count(client, target, data)
    build(30, 12)
    large = count(client, target, data)
    assert small == large
    with django_assert_max_num_queries(limit):
        client.get(target, data)


@pytest.mark.parametrize("kind", ["page", "api", "csv", "item_panel"])
def test_outlet_page_does_not_grow_with_its_list(client, rf, django_assert_max_num_queries, kind):
    (small_items, small_outlets) = build(1, 3)
    (large_items, large_outlets) = build(1, 120)

    def url(outlet):
        return {
            "page": reverse("outlets:outlet_detail", args=[outlet.code]),
            "api": f"/api/v1/outlets/{outlet.code}/",
            "csv": reverse("outlets:outlet_items_csv", args=[outlet.code]),
            "item_panel": "",
        }[kind]

    if kind == "item_panel":
        from django.template.loader import render_to_string

        def run(items):
            request = rf.get("/", {"lat": "36.0", "lng": "120.4"})
            with CaptureQueriesContext(connection) as ctx:
                render_to_string(
                    "outlets/includes/item_outlets.html", {"item": items[0]}, request=request
                )
            return len(ctx.captured_queries)

        run(small_items)  # warm the per-process caches (working-day corrections)
        assert run(small_items) == run(large_items) <= 3
        return
    small = count(client, url(small_outlets[0]))
    large = count(client, url(large_outlets[0]))
    assert small == large
    with django_assert_max_num_queries(10):
        client.get(url(large_outlets[0]))

"""The outlets API: fields, filters, distance ordering, problem details for bad input."""

import datetime
import math

import pytest

from outlets.selectors import great_circle_km
from tests.factories import region

from .factories import (
    BankOutletFactory,
    OutletFactory,
    SelfServiceItemFactory,
    TerminalFactory,
    publish_items,
    weekday_hours,
)

pytestmark = pytest.mark.django_db

FIELDS = {
    "code",
    "name",
    "kind",
    "operator",
    "district",
    "address",
    "latitude",
    "longitude",
    "open_now",
}


@pytest.fixture
def item():
    return SelfServiceItemFactory(code="SI-CERT", name="社会保险参保证明打印")


@pytest.fixture
def city(item):
    """Twelve outlets scattered around Qingdao; every other one lists the item."""
    outlets = []
    for n in range(12):
        angle = n * 2.4
        outlet = (OutletFactory if n % 3 else BankOutletFactory)(
            code=f"API-{n:02d}",
            latitude=36.1 + 0.2 * math.sin(angle) * (n + 1) / 12,
            longitude=120.3 + 0.3 * math.cos(angle) * (n + 1) / 12,
            district=region("370283" if n % 4 == 0 else "370202"),
        )
        weekday_hours(outlet, days=range(7), sessions=(("00:00", "23:59"),))
        if n % 2 == 0:
            publish_items(outlet, [item])
        outlets.append(outlet)
    return outlets


def test_results_have_the_documented_fields(client, city):
    body = client.get("/api/v1/outlets/").json()
    assert body["count"] == 12 and {"next", "previous", "results"} <= body.keys()
    assert set(body["results"][0]) >= FIELDS


def test_near_orders_by_great_circle_distance_from_the_returned_coordinates(client, city, item):
    lat, lng = 36.08, 120.35
    body = client.get("/api/v1/outlets/", {"near": f"{lat},{lng}", "item": item.code}).json()
    results = body["results"]
    assert body["count"] == 6 and len(results) == 6
    computed = [great_circle_km(lat, lng, r["latitude"], r["longitude"]) for r in results]
    assert computed == sorted(computed)
    for result, km in zip(results, computed, strict=True):
        assert result["distance_km"] == pytest.approx(km, abs=0.001)


def test_radius_km_limits_the_results(client, city):
    everything = client.get("/api/v1/outlets/", {"near": "36.1,120.3", "page_size": 100}).json()
    within = client.get("/api/v1/outlets/", {"near": "36.1,120.3", "radius_km": 10}).json()
    expected = [r["code"] for r in everything["results"] if r["distance_km"] <= 10]
    assert [r["code"] for r in within["results"]] == expected
    assert 0 < len(expected) < 12


def test_filters_by_district_code_kind_operator_and_open_now(client, city, travel):
    assert client.get("/api/v1/outlets/", {"district": "370283"}).json()["count"] == 3
    assert client.get("/api/v1/outlets/", {"kind": "bank_branch"}).json()["count"] == 4
    assert client.get("/api/v1/outlets/", {"operator": "ccb"}).json()["count"] == 4
    assert client.get("/api/v1/outlets/", {"operator": "government"}).json()["count"] == 8
    travel(datetime.datetime(2026, 10, 13, 10))  # an ordinary Tuesday morning
    assert client.get("/api/v1/outlets/", {"open_now": "true"}).json()["count"] == 12
    travel(datetime.datetime(2026, 10, 1, 10))  # National Day: every outlet here closes
    body = client.get("/api/v1/outlets/", {"open_now": "false"}).json()
    assert body["count"] == 12 and not any(r["open_now"] for r in body["results"])


@pytest.mark.parametrize(
    "params",
    [
        {"near": "abc"},
        {"near": "36.1"},
        {"near": "91,120"},
        {"near": "36,181"},
        {"near": "nan,nan"},
        {"operator": ""},
        {"near": "36,120", "radius_km": "-1"},
        {"kind": "castle"},
        {"operator": "hsbc"},
        {"district": "qingdao"},
        {"open_now": "maybe"},
    ],
)
def test_bad_parameters_are_400_problem_details(client, city, params):
    response = client.get("/api/v1/outlets/", params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == 400


def test_detail_has_terminals_and_the_list_in_effect(client, item):
    outlet = OutletFactory(code="DET")
    t1 = TerminalFactory(outlet=outlet, code="DET-T1")
    TerminalFactory(outlet=outlet, code="DET-T2")
    other = SelfServiceItemFactory(code="SI-OTHER")
    publish_items(outlet, [item, other], terminals={other: [t1]})
    body = client.get("/api/v1/outlets/DET/").json()
    assert set(body) >= FIELDS
    assert [t["code"] for t in body["terminals"]] == ["DET-T1", "DET-T2"]
    items = {i["code"]: i["terminals"] for i in body["items"]}
    assert items == {"SI-CERT": [], "SI-OTHER": ["DET-T1"]}
    assert body["list_version"]["number"] == 1


def test_unknown_outlet_is_404_problem(client):
    response = client.get("/api/v1/outlets/NOWHERE/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_an_unknown_item_code_is_a_400_that_names_it(client, city):
    response = client.get("/api/v1/outlets/", {"item": "NO-SUCH-ITEM"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "NO-SUCH-ITEM" in str(response.json())

"""The HSDS open-data API (/api/hsds/, ADR 0115): every answer validates against the Open
Referral schemas stored in hsds_schema/ (verbatim, see SOURCES.md), the code lists are checked by
hand as well, paging is HSDS's, an unknown id is a 404 problem, and a page runs a fixed number of
queries however much data there is."""

from __future__ import annotations

import copy
import datetime
import json
import re
import uuid
from functools import cache
from pathlib import Path

import pytest
from django.core.cache import cache as django_cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from outlets.hsds import ids
from outlets.models import OutletStatus
from tests.problems import assert_problem

from .factories import (
    BankOutletFactory,
    OutletFactory,
    SelfServiceItemFactory,
    TerminalFactory,
    publish_items,
    weekday_hours,
)

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parent / "hsds_schema"
# The per-object schemas carry this base in their $id (phone.json, from an earlier commit, has
# none): their relative $refs ("language.json") resolve against it.
BASE = "https://raw.githubusercontent.com/openreferral/specification/refs/heads/3.2/schema/"
COMPILED = "urn:hsds:compiled:"

# The paged answer, as the HSDS OpenAPI document (schema/openapi.json, components.schemas.Page)
# defines it, with the contents every list operation adds.
PAGE = {
    "type": "object",
    "properties": {
        "total_items": {"type": "integer"},
        "total_pages": {"type": "integer"},
        "page_number": {"type": "integer"},
        "size": {"type": "integer"},
        "first_page": {"type": "boolean"},
        "last_page": {"type": "boolean"},
        "empty": {"type": "boolean"},
        "contents": {"type": "array"},
    },
    "required": ["empty"],
}
LIST_SCHEMAS = {
    "services": f"{COMPILED}service_list",
    "service_at_locations": f"{COMPILED}service_at_location_list",
    "organizations": f"{COMPILED}organization_list",
}


def _array_of(ref: str) -> dict:
    return {"type": "array", "items": {"$ref": ref}}


LOCATION = {"$ref": f"{BASE}location.json"}
DETAIL_SCHEMAS = {
    "services": {
        "allOf": [
            {"$ref": LIST_SCHEMAS["services"]},
            {
                "properties": {
                    "languages": _array_of(f"{BASE}language.json"),
                    "service_at_locations": {
                        "type": "array",
                        "items": {
                            "allOf": [
                                {"$ref": LIST_SCHEMAS["service_at_locations"]},
                                {"properties": {"location": LOCATION}},
                            ]
                        },
                    },
                }
            },
        ]
    },
    "service_at_locations": {
        "allOf": [
            {"$ref": LIST_SCHEMAS["service_at_locations"]},
            {"properties": {"location": LOCATION}, "required": ["location"]},
        ]
    },
    "organizations": {
        "allOf": [
            {"$ref": LIST_SCHEMAS["organizations"]},
            {"properties": {"phones": _array_of(f"{BASE}phone.json")}},
        ]
    },
}

FREQ = {"WEEKLY", "MONTHLY"}  # schedule.json's enums
WKST = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"}
PHONE_TYPES = {"text", "voice", "fax", "cell", "video", "pager", "textphone"}  # RFC 6350
ADDRESS_TYPES = {"physical", "postal", "virtual"}
LOCATION_TYPES = {"physical", "postal", "virtual"}
SERVICE_STATUSES = {"active", "inactive", "defunct", "temporarily closed"}


def _load(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


@cache
def registry() -> Registry:
    resources = [
        (f"{BASE}{name}.json", Resource.from_contents(_load(f"{name}.json"), DRAFT202012))
        for name in ("location", "address", "language", "schedule", "phone", "accessibility")
    ]
    resources += [
        (uri, Resource.from_contents(_load(f"{uri.removeprefix(COMPILED)}.json"), DRAFT202012))
        for uri in LIST_SCHEMAS.values()
    ]
    return Registry().with_resources(resources)


def validator(schema: dict) -> Draft202012Validator:
    return Draft202012Validator(
        schema, registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def schema_errors(body: dict, schema: dict) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator(schema).iter_errors(body)
    ]


def page_schema(kind: str) -> dict:
    return {
        "allOf": [
            PAGE,
            {"properties": {"contents": {"items": {"$ref": LIST_SCHEMAS[kind]}}}},
            {"required": list(PAGE["properties"])},
        ]
    }


# --- checks by hand: the code lists and required fields, so a wrong value fails even where a
# schema leaves the field open (phone.json has no enum for the type) ------


def is_uuid(value: str) -> bool:
    return str(uuid.UUID(value)) == value


def check_language(language: dict) -> None:
    assert is_uuid(language["id"])
    assert language["code"] == "zh" and language["name"]


def check_phone(phone: dict) -> None:
    assert is_uuid(phone["id"]) and phone["number"]
    assert phone["type"] in PHONE_TYPES
    for language in phone["languages"]:
        check_language(language)


def check_schedule(schedule: dict) -> None:
    assert is_uuid(schedule["id"])
    assert schedule["freq"] in FREQ
    assert schedule["wkst"] in WKST
    assert set(schedule["byday"].split(",")) <= WKST
    for field in ("opens_at", "closes_at"):
        assert re.fullmatch(r"\d\d:\d\d(Z|[+-]\d\d:\d\d)", schedule[field]), schedule[field]
    assert schedule["opens_at"] < schedule["closes_at"]


def check_address(address: dict) -> None:
    for field in ("id", "address_1", "city", "state_province", "postal_code", "country"):
        assert field in address
    assert address["address_type"] in ADDRESS_TYPES
    assert re.fullmatch(r"[A-Z]{2}", address["country"])


def check_location(location: dict, full: bool) -> None:
    assert is_uuid(location["id"]) and location["location_type"] in LOCATION_TYPES
    assert -90 <= location["latitude"] <= 90 and -180 <= location["longitude"] <= 180
    if full:
        assert location["addresses"]
        for address in location["addresses"]:
            check_address(address)
        for phone in location["phones"]:
            check_phone(phone)
        for schedule in location["schedules"]:
            check_schedule(schedule)
        for language in location["languages"]:
            check_language(language)
        for access in location["accessibility"]:
            assert is_uuid(access["id"]) and access["description"]


def check_organization(organization: dict) -> None:
    assert is_uuid(organization["id"])
    assert organization["name"] and organization["description"]


def check_service(service: dict) -> None:
    assert is_uuid(service["id"]) and service["name"]
    assert service["status"] in SERVICE_STATUSES
    check_organization(service["organization"])
    assert service["organization_id"] == service["organization"]["id"]


def check_service_at_location(entry: dict, full: bool) -> None:
    assert is_uuid(entry["id"])
    assert entry["service_id"] == entry["service"]["id"]
    assert entry["location_id"] == entry["location"]["id"]
    check_service(entry["service"])
    check_location(entry["location"], full)


# --- data ------


def build(n_outlets: int, n_items: int, tag: str = "H"):
    items = [SelfServiceItemFactory(code=f"{tag}-{n_items}-{i:03d}") for i in range(n_items)]
    outlets = []
    for n in range(n_outlets):
        factory = BankOutletFactory if n % 2 else OutletFactory
        outlet = factory(code=f"{tag}{n_items}-{n:03d}", latitude=36 + n / 100)
        weekday_hours(outlet)
        terminals = [TerminalFactory(outlet=outlet, code=f"{outlet.code}-T{t}") for t in range(2)]
        publish_items(outlet, items, terminals={items[0]: terminals[:1]})
        outlets.append(outlet)
    return items, outlets


def get(client, path: str, **params):
    return client.get(f"/api/hsds/{path}", params)


KINDS = ("services", "service_at_locations", "organizations")


# --- validation ------


@pytest.mark.parametrize("kind", KINDS)
def test_lists_and_details_validate_against_the_hsds_schemas(client, kind):
    build(3, 4)
    response = get(client, kind, per_page=100)
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    assert schema_errors(body, page_schema(kind)) == []
    assert body["contents"]
    for entry in body["contents"]:
        {"services": check_service, "organizations": check_organization}.get(
            kind, lambda e: check_service_at_location(e, full=False)
        )(entry)
        detail = get(client, f"{kind}/{entry['id']}")
        assert detail.status_code == 200, detail.content[:300]
        record = detail.json()
        assert record["id"] == entry["id"]
        assert schema_errors(record, DETAIL_SCHEMAS[kind]) == []
        if kind == "services":
            check_service(record)
            for language in record["languages"]:
                check_language(language)
            assert record["service_at_locations"]
            for link in record["service_at_locations"]:
                assert link["service_id"] == record["id"]
                check_location(link["location"], full=True)
        elif kind == "service_at_locations":
            check_service_at_location(record, full=True)
        else:
            check_organization(record)
            for phone in record["phones"]:
                check_phone(phone)


def test_a_wrong_value_fails_the_schema_and_the_checks(client):
    """The validation has teeth: a wrong code or a missing required field is reported."""
    build(1, 1)
    entry_id = get(client, "service_at_locations").json()["contents"][0]["id"]
    good = get(client, f"service_at_locations/{entry_id}").json()
    schema = DETAIL_SCHEMAS["service_at_locations"]
    assert schema_errors(good, schema) == []

    def broken(change) -> dict:
        body = copy.deepcopy(good)
        change(body)
        return body

    wrong = {
        "freq": lambda b: b["location"]["schedules"][0].update(freq="DAILY"),
        "wkst": lambda b: b["location"]["schedules"][0].update(wkst="XX"),
        "address_type": lambda b: b["location"]["addresses"][0].update(address_type="home"),
        "postal_code": lambda b: b["location"]["addresses"][0].pop("postal_code"),
        "location_type": lambda b: b["location"].update(location_type="mobile"),
        "status": lambda b: b["service"].update(status="open"),
        "service name": lambda b: b["service"].pop("name"),
        "phone number": lambda b: b["location"]["phones"][0].pop("number"),
        "id format": lambda b: b.update(id="outlet-1"),
        "latitude type": lambda b: b["location"].update(latitude="36.07"),
        "accessibility id": lambda b: b["location"]["accessibility"].append({"description": "x"}),
    }
    for name, change in wrong.items():
        assert schema_errors(broken(change), schema), name
    # phone.json leaves the type open: the hand check catches it
    body = broken(lambda b: b["location"]["phones"][0].update(type="landline"))
    with pytest.raises(AssertionError):
        check_service_at_location(body, full=True)


def test_an_outlet_as_a_location(client, travel):
    travel(datetime.datetime(2026, 12, 7, 10, 0))  # a Monday
    item = SelfServiceItemFactory(code="H-LOC-1", name="社会保险参保证明打印")
    outlet = OutletFactory(
        code="H-LOC",
        name="市南区政务服务大厅",
        address="山东省青岛市市南区香港中路100号",
        phone="0532-88880000",
        accessibility="无障碍通道，低位自助终端。",
        latitude=36.0671,
        longitude=120.3826,
    )
    weekday_hours(outlet, days=range(5), sessions=(("09:00", "12:00"), ("13:30", "17:00")))
    terminal = TerminalFactory(outlet=outlet, code="H-LOC-T1")
    publish_items(outlet, [item], terminals={item: [terminal]})

    entry = get(client, "service_at_locations").json()["contents"][0]
    assert entry["id"] == ids.service_at_location(outlet.pk, item.pk)
    assert "H-LOC-T1" in entry["description"]
    record = get(client, f"service_at_locations/{entry['id']}").json()
    location = record["location"]
    assert location["id"] == ids.location(outlet.pk)
    assert location["name"] == "市南区政务服务大厅"
    assert location["external_identifier"] == "H-LOC"
    assert (location["latitude"], location["longitude"]) == (36.0671, 120.3826)
    assert location["organization_id"] == ids.operator("government")
    address = location["addresses"][0]
    assert address["address_1"] == "山东省青岛市市南区香港中路100号"
    assert (address["city"], address["region"], address["country"]) == ("青岛市", "市南区", "CN")
    assert [p["number"] for p in location["phones"]] == ["0532-88880000"]
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in location["schedules"][:2]] == [
        ("MO", "09:00+08:00", "12:00+08:00"),
        ("MO", "13:30+08:00", "17:00+08:00"),
    ]
    assert len(location["schedules"]) == 10
    assert all(s["freq"] == "WEEKLY" and s["notes"] for s in location["schedules"])
    assert [lang["code"] for lang in location["languages"]] == ["zh"]
    assert [a["description"] for a in location["accessibility"]] == ["无障碍通道，低位自助终端。"]
    assert record["service"]["name"] == "社会保险参保证明打印"


def test_organizations_are_the_operators_then_the_departments(client):
    items, _ = build(2, 2)  # one government outlet, one bank branch
    body = get(client, "organizations").json()
    names = [o["name"] for o in body["contents"]]
    assert names[:2] == ["青岛市人民政府", "中国建设银行"]
    departments = {item.department.name for item in items}
    assert set(names[2:]) == departments
    assert body["total_items"] == 2 + len(departments)
    service = get(client, "services").json()["contents"][0]
    assert service["organization_id"] in {o["id"] for o in body["contents"]}
    # a department's detail carries its phone
    department = items[0].department
    department.phone = "0532-12345"
    department.save()
    detail = get(client, f"organizations/{ids.department(department.pk)}").json()
    assert [p["number"] for p in detail["phones"]] == ["0532-12345"]
    assert schema_errors(detail, DETAIL_SCHEMAS["organizations"]) == []


def test_ids_are_uuid5_of_the_keys_and_survive_a_new_publication(client):
    items, outlets = build(1, 2)
    first = {e["id"] for e in get(client, "service_at_locations").json()["contents"]}
    publish_items(outlets[0], items, effective=datetime.date(2026, 2, 1))
    django_cache.clear()
    again = {e["id"] for e in get(client, "service_at_locations").json()["contents"]}
    assert first == again == {ids.service_at_location(outlets[0].pk, i.pk) for i in items}
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, "urn:qingdao-portal:hsds")
    assert ids.service(items[0].pk) == str(uuid.uuid5(namespace, f"service:{items[0].pk}"))
    for outlet_pk, item_pk in [(1, 2), (10, 9999), (123456, 7)]:
        name = f"service_at_location:{outlet_pk}:{item_pk}"
        assert ids.service_at_location(outlet_pk, item_pk) == str(uuid.uuid5(namespace, name))
    assert uuid.UUID(ids.service(items[0].pk)).version == 5


def test_a_detail_finds_a_record_published_after_an_earlier_lookup(client):
    """The index of services at locations by id is rebuilt when the data changes."""
    items, outlets = build(1, 1)
    first = ids.service_at_location(outlets[0].pk, items[0].pk)
    assert get(client, f"service_at_locations/{first}").status_code == 200
    extra = SelfServiceItemFactory(code="H-NEW")
    publish_items(outlets[0], [*items, extra], effective=datetime.date(2026, 2, 1))
    new = ids.service_at_location(outlets[0].pk, extra.pk)
    assert get(client, f"service_at_locations/{new}").json()["id"] == new
    assert get(client, f"service_at_locations/{new.upper()}").status_code == 200


def test_only_what_the_public_sees_today(client):
    items, outlets = build(2, 1)
    outlets[1].status = OutletStatus.CLOSED
    outlets[1].save()
    later = SelfServiceItemFactory(code="H-LATER")
    publish_items(outlets[0], [*items, later], effective=datetime.date(2099, 1, 1))
    body = get(client, "service_at_locations").json()
    assert body["total_items"] == 1
    assert get(client, f"services/{ids.service(later.pk)}").status_code == 404


# --- paging ------


def test_paging_fields(client):
    build(1, 5)
    first = get(client, "services", per_page=2).json()
    assert {k: v for k, v in first.items() if k != "contents"} == {
        "total_items": 5,
        "total_pages": 3,
        "page_number": 1,
        "size": 2,
        "first_page": True,
        "last_page": False,
        "empty": False,
    }
    last = get(client, "services", per_page=2, page=3).json()
    assert (last["page_number"], last["size"], last["first_page"], last["last_page"]) == (
        3,
        1,
        False,
        True,
    )
    beyond = get(client, "services", per_page=2, page=4).json()
    assert beyond["empty"] is True and beyond["contents"] == [] and beyond["last_page"] is True
    codes = [
        s["id"]
        for page in (1, 2, 3)
        for s in get(client, "services", per_page=2, page=page).json()["contents"]
    ]
    assert len(set(codes)) == 5
    default = get(client, "services").json()
    assert default["page_number"] == 1 and default["size"] == 5 and default["total_pages"] == 1


def test_paging_the_organizations_across_operators_and_departments(client):
    build(2, 3)  # 2 operators, 3 departments
    every = [o["id"] for o in get(client, "organizations", per_page=100).json()["contents"]]
    paged = [
        o["id"]
        for page in (1, 2, 3)
        for o in get(client, "organizations", per_page=2, page=page).json()["contents"]
    ]
    assert paged == every and len(every) == 5


def test_an_empty_feed(client):
    body = get(client, "services").json()
    assert body["empty"] is True and body["total_items"] == 0 and body["total_pages"] == 0
    assert schema_errors(body, page_schema("services")) == []


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"page": "0"}, "page"),
        ({"page": "x"}, "page"),
        ({"page": "²"}, "page"),
        ({"page": "10000000000000000000000"}, "page"),
        ({"per_page": "101"}, "per_page"),
        ({"per_page": "-1"}, "per_page"),
    ],
)
def test_bad_paging_is_a_400_problem(client, params, name):
    assert_problem(get(client, "services", **params), 400, name)


# --- errors, access ------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("wanted", [str(uuid.uuid4()), "not-a-uuid"])
def test_an_unknown_id_is_a_404_problem(client, kind, wanted):
    build(1, 1)
    assert_problem(get(client, f"{kind}/{wanted}"), 404)


def test_read_only_and_open_to_anyone(client):
    build(1, 1)
    assert get(client, "services").status_code == 200
    assert_problem(client.post("/api/hsds/services", {}), 405)
    about = get(client, "").json()
    assert about["version"].startswith("3.")


def test_lists_are_throttled_and_cached_like_the_other_public_lists(client):
    from outlets.api import OutletListView
    from outlets.hsds.views import ServiceListView

    assert [type(t) for t in ServiceListView().get_throttles()] == [
        type(t) for t in OutletListView().get_throttles()
    ]
    build(1, 2)
    get(client, "services")
    with CaptureQueriesContext(connection) as ctx:
        response = get(client, "services")
    assert response.status_code == 200 and len(ctx.captured_queries) == 0


# --- queries ------


def count(client, path: str) -> int:
    django_cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, (path, response.content[:300])
    return len(ctx.captured_queries)


LIMITS = {
    "services": 2,
    "service_at_locations": 3,
    "organizations": 3,
    "services/{service}": 5,
    "service_at_locations/{entry}": 5,
    "organizations/{department}": 4,
}


def test_query_counts_do_not_grow_with_the_data(client, django_assert_max_num_queries):
    def paths(items, outlets) -> dict[str, str]:
        ids_ = {
            "service": ids.service(items[0].pk),
            "entry": ids.service_at_location(outlets[0].pk, items[0].pk),
            "department": ids.department(items[0].department_id),
        }
        return {key: "/api/hsds/" + key.format(**ids_) + "?per_page=100" for key in LIMITS}

    small = {key: count(client, path) for key, path in paths(*build(2, 2, "S")).items()}
    large_paths = paths(*build(12, 9, "L"))
    large = {key: count(client, path) for key, path in large_paths.items()}
    assert small == large
    for key, path in large_paths.items():
        django_cache.clear()
        with django_assert_max_num_queries(LIMITS[key]):
            client.get(path)


@pytest.mark.parametrize(
    ("kind", "keys"),
    [("service", (1,)), ("service_at_location", (42, 7)), ("organization:operator", ("QD-0001",))],
)
def test_ids_are_the_uuid5_of_the_standard_library(kind, keys):
    """ids.hsds_id writes UUIDv5 out by hand for speed: it must be exactly uuid.uuid5, or every
    id a consumer stored would change the day someone replaced it with the library call."""
    from outlets.hsds import ids

    name = ":".join([kind, *(str(k) for k in keys)])
    assert ids.hsds_id(kind, *keys) == str(uuid.uuid5(ids.NAMESPACE, name))
    assert ids.key_of(ids.hsds_id(kind, *keys)) == ids.digest_key(kind, *keys)

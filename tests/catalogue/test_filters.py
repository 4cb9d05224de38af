"""Filters and pagination, on the pages and in the API; bad values are rejected, not ignored."""

from __future__ import annotations

import pytest

from portal.catalogue.models import DepartmentLevel, Domain
from tests.catalogue.factories import HandlingListFactory, ListEntryFactory
from tests.factories import DepartmentFactory, ServiceItemFactory, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def items():
    city = DepartmentFactory(code="370200-TST", name="市测试局")
    town = DepartmentFactory(code="370200-TWN", name="镇测试站", level=DepartmentLevel.TOWN)
    district = DepartmentFactory(
        code="370283-TST", name="平度市测试局", level=DepartmentLevel.DISTRICT,
        region=region("370283"),
    )  # fmt: skip
    tax = ServiceItemFactory(code="T-1", domain=Domain.TAX, department=city, mobile=True)
    social = ServiceItemFactory(
        code="T-2", domain=Domain.SOCIAL_INSURANCE, department=town, self_service=True,
        online=False,
    )  # fmt: skip
    proactive = ServiceItemFactory(code="T-3", department=district, proactive=True, kind="filing")
    ListEntryFactory(item=tax, handling_list=HandlingListFactory(kind="city_wide"))
    ListEntryFactory(item=proactive, handling_list=HandlingListFactory(kind="regional"))
    return {"tax": tax, "social": social, "proactive": proactive}


def codes(client, **params) -> list[str]:
    response = client.get("/api/v1/items/", params)
    assert response.status_code == 200, response.content
    return sorted(r["code"] for r in response.json()["results"])


def test_api_filters(client, items):
    assert codes(client, domain="tax") == ["T-1"]
    assert codes(client, department="370200-TWN") == ["T-2"]
    assert codes(client, level="district") == ["T-3"]
    assert codes(client, city_wide="true") == ["T-1"]
    assert codes(client, city_wide="false") == ["T-2", "T-3"]
    assert codes(client, regional="1") == ["T-3"]
    assert codes(client, proactive="true") == ["T-3"]
    assert codes(client, proactive="false") == ["T-1", "T-2"]
    assert codes(client, channel="self_service") == ["T-2"]
    assert codes(client, channel="mobile") == ["T-1"]
    assert codes(client, kind="filing") == ["T-3"]
    assert codes(client, department="NO-SUCH") == []


def test_api_filters_by_who_may_apply(client, items):
    ServiceItemFactory(code="T-4", applicant_kind="company")
    ServiceItemFactory(code="T-5", applicant_kind="person")
    assert codes(client, applicant_kind="company") == ["T-4"]
    assert codes(client, applicant_kind="person", domain="tax") == []
    assert "T-5" in codes(client, applicant_kind="person")


def test_api_departments_by_level_and_region(client, items):
    def department_codes(**params) -> list[str]:
        response = client.get("/api/v1/departments/", {"page_size": 100, **params})
        assert response.status_code == 200, response.content
        return [d["code"] for d in response.json()["results"]]

    assert department_codes(level="town") == ["370200-TWN"]
    assert department_codes(region="370283") == ["370283-TST"]
    assert department_codes(level="city", region="370283") == []
    assert client.get("/api/v1/departments/", {"level": "planet"}).status_code == 400


@pytest.mark.parametrize(
    "params",
    [
        {"city_wide": "maybe"},
        {"regional": "2"},
        {"proactive": "yes please"},
        {"town": "x"},
        {"domain": "astrology"},
        {"level": "planet"},
        {"channel": "pigeon"},
        {"q": "x" * 101},
    ],
)
def test_api_rejects_junk_with_problem_details(client, items, params):
    response = client.get("/api/v1/items/", params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert set(params) <= set(response.json()["errors"])


def test_api_item_lists_memberships(client, items):
    data = client.get("/api/v1/items/T-1/").json()
    assert data["lists"] == ["city_wide"]
    assert data["memberships"][0]["list"] == "city_wide"
    assert data["handling"]["scope"] == "city_wide"
    assert client.get("/api/v1/items/NOPE/").status_code == 404


def test_api_pagination(client):
    for n in range(25):
        ServiceItemFactory(code=f"P-{n:03d}")
    first = client.get("/api/v1/items/").json()
    assert first["count"] == 25 and len(first["results"]) == 20
    assert first["previous"] is None and "page=2" in first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 5 and second["next"] is None and second["previous"]
    assert len(client.get("/api/v1/items/", {"page_size": 5}).json()["results"]) == 5
    assert client.get("/api/v1/items/", {"page": 99}).status_code == 404


def test_page_filters(client, items):
    response = client.get("/items/", {"domain": "tax"})
    assert [group.item.code for group in response.context["page_obj"]] == ["T-1"]
    response = client.get("/items/", {"city_wide": "on"})
    assert [group.item.code for group in response.context["page_obj"]] == ["T-1"]
    response = client.get("/items/", {"department": "370200-TWN"})
    assert [group.item.code for group in response.context["page_obj"]] == ["T-2"]
    response = client.get("/items/", {"proactive": "on", "level": "district"})
    assert [group.item.code for group in response.context["page_obj"]] == ["T-3"]


def test_page_reports_a_bad_filter_and_keeps_the_good_ones(client, items):
    response = client.get("/items/", {"domain": "astrology", "channel": "mobile"})
    assert response.status_code == 200
    assert response.context["form"].errors["domain"]
    assert [group.item.code for group in response.context["page_obj"]] == ["T-1"]


def test_page_pagination_keeps_the_filters(client):
    for n in range(45):
        ServiceItemFactory(code=f"P-{n:03d}", domain=Domain.TAX)
    response = client.get("/items/", {"domain": "tax", "page": 2})
    page = response.context["page_obj"]
    assert page.number == 2 and page.paginator.count == 45
    assert "domain=tax&amp;page=3" in response.content.decode()
    assert client.get("/items/", {"page": "junk"}).status_code == 200

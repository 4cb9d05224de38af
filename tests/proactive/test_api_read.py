"""GET rules (public), companies and offers (staff only): filters, masking, fixed query counts."""

import pytest
from django.test import Client

from .conftest import event
from .factories import CertificateFactory, CompanyFactory
from .helpers import post_events


@pytest.fixture
def staff_client(world):
    client = Client()
    client.force_login(world.staff)
    return client


def test_rules_list(world, client):
    response = client.get("/api/v1/approvals/rules/")
    assert response.status_code == 200
    rules = {r["trigger"]: r for r in response.json()["results"]}
    change, expiry = rules["licence_change"], rules["expiry"]
    assert change["item"] == world.item.code
    assert set(change["fields"]) == {"legal_representative", "address", "shareholders", "name"}
    assert change["certificate_types"] == ["JZZZ"] and change["regions"] == ["370200"]
    assert expiry["days"] == 60 and expiry["active"] is True
    assert {
        "id",
        "item",
        "trigger",
        "fields",
        "days",
        "certificate_types",
        "regions",
        "active",
    } <= set(change)


@pytest.fixture
def register_reader(db):
    """The register feed's key with ``register:read``: the whole register."""
    from .conftest import system_client

    return system_client("register:read")


def test_companies_need_staff(world, client):
    assert client.get("/api/v1/approvals/companies/").status_code in (401, 403)
    client.force_login(world.rep_user)
    assert client.get("/api/v1/approvals/companies/").status_code == 403
    assert client.get(f"/api/v1/approvals/companies/{world.company.uscc}/").status_code == 403
    assert client.get("/api/v1/approvals/offers/").status_code == 403


def test_companies_filtered_by_certificate_type_and_district(
    world, register_reader, django_assert_max_num_queries
):
    pingdu = CompanyFactory(district_id="370283")
    CertificateFactory(company=pingdu, type=world.renewal_type)
    CompanyFactory.create_batch(5)
    with django_assert_max_num_queries(6):
        response = register_reader.get("/api/v1/approvals/companies/?certificate_type=JZZZ")
    assert [c["uscc"] for c in response.json()["results"]] == [world.company.uscc]
    response = register_reader.get("/api/v1/approvals/companies/?district=370283")
    assert [c["uscc"] for c in response.json()["results"]] == [pingdu.uscc]
    assert register_reader.get("/api/v1/approvals/companies/").json()["count"] == 7


def test_department_staff_read_only_the_companies_their_department_issues_to(
    world, staff_client, django_assert_max_num_queries
):
    """Issue 11: any staff account read the whole register. Department staff now see the
    holders of their department's certificates; another department's holder is a 404."""
    other = CompanyFactory(district_id="370283")
    CertificateFactory(company=other, type=world.renewal_type)  # another department's item
    assert world.renewal_type.item.department_id != world.staff.department_id
    with django_assert_max_num_queries(6):
        response = staff_client.get("/api/v1/approvals/companies/")
    assert [c["uscc"] for c in response.json()["results"]] == [world.company.uscc]
    assert staff_client.get(f"/api/v1/approvals/companies/{other.uscc}/").status_code == 404
    assert staff_client.get(f"/api/v1/approvals/companies/{world.company.uscc}/").status_code == 200


def test_company_detail_has_certificates_and_masked_contacts(
    world, staff_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response = staff_client.get(f"/api/v1/approvals/companies/{world.company.uscc}/")
    body = response.json()
    assert body["certificates"] == [
        {
            "number": "D237020001",
            "type": "JZZZ",
            "item": world.item.code,
            "grade": "三级",
            "issued_on": world.certificate.issued_on.isoformat(),
            "expires_on": world.certificate.expires_on.isoformat(),
            "status": "valid",
        }
    ]
    mobiles = {c["role"]: c["mobile"] for c in body["contacts"]}
    assert mobiles["legal_representative"] == "139****0001"
    assert "13953200001" not in response.content.decode()
    missing = staff_client.get("/api/v1/approvals/companies/91370200MA3C5HKX4B/")
    assert missing.status_code == 404 and missing.json()["status"] == 404


def test_offers_filtered_by_company_and_status(world, staff_client, market_client):
    post_events(market_client, [event(uscc=world.company.uscc)])
    other = CompanyFactory()
    CertificateFactory(company=other, type=world.ctype)
    post_events(market_client, [event("E2", uscc=other.uscc)])
    response = staff_client.get(f"/api/v1/approvals/offers/?company={world.company.uscc}")
    [offer] = response.json()["results"]
    assert (offer["certificate"], offer["item"], offer["reason"], offer["status"]) == (
        "D237020001",
        world.item.code,
        "licence_change",
        "created",
    )
    assert staff_client.get("/api/v1/approvals/offers/?status=created").json()["count"] == 2
    assert staff_client.get("/api/v1/approvals/offers/?status=declined").json()["count"] == 0
    bad = staff_client.get("/api/v1/approvals/offers/?status=bogus")
    assert bad.status_code == 400

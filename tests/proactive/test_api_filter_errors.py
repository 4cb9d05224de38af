"""The register's and the offers' filters (CompanyFilterSet, OfferFilterSet): a malformed
value is a 400 problem naming the parameter; an empty one still means "any"."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory
from tests.problems import assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="h5-admin", is_superuser=True, is_staff=True))
    return client


@pytest.mark.parametrize(
    ("url", "params", "parameter"),
    [
        ("/api/v1/approvals/companies/", {"district": "Qingdao"}, "district"),
        ("/api/v1/approvals/companies/", {"certificate_type": "T" * 17}, "certificate_type"),
        ("/api/v1/approvals/offers/", {"status": "bogus"}, "status"),
        ("/api/v1/approvals/offers/", {"company": "not-a-uscc"}, "company"),
    ],
)
def test_bad_values_are_refused(admin_client, url, params, parameter):
    assert_problem(admin_client.get(url, params), 400, parameter)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/v1/approvals/companies/", {"district": "", "certificate_type": ""}),
        ("/api/v1/approvals/offers/", {"status": "", "company": ""}),
    ],
)
def test_empty_values_mean_any(admin_client, url, params):
    assert admin_client.get(url, params).status_code == 200

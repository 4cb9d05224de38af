"""The shared API pagination refuses a page size it cannot honour instead of ignoring it."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("page_size", ["0", "101", "null", "-3", "2.5"])
def test_bad_page_size_is_a_problem_detail(client, page_size):
    response = client.get("/api/v1/regions/", {"page_size": page_size})
    assert response.status_code == 400
    body = response.json()
    assert response["Content-Type"].startswith("application/problem+json")
    assert "page_size" in body["errors"]


@pytest.mark.django_db
def test_good_page_size_is_honoured(client):
    response = client.get("/api/v1/regions/", {"page_size": "3"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 3

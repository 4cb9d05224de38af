"""API errors are RFC 9457 problem details: application/problem+json with type, title, status,
detail, and the field errors for a 400."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.infra.urls")]


def _problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("about:blank")
    assert body["title"]
    assert body["detail"]
    return body


def test_400_lists_every_bad_field(client):
    response = client.post(
        "/api/v1/_probe/x/", {"mobile": "123", "count": 0}, content_type="application/json"
    )
    body = _problem(response, 400)
    assert set(body["errors"]) == {"mobile", "count"}
    assert body["detail"].split(":")[0] in {"mobile", "count"}


def test_404_for_a_missing_object(client):
    body = _problem(client.get("/api/v1/_probe/missing/"), 404)
    assert body["type"] == "about:blank#not_found"


def test_405_for_a_method_the_endpoint_does_not_have(client):
    body = _problem(client.delete("/api/v1/_probe/x/"), 405)
    assert "DELETE" in body["detail"]


def test_403_for_an_anonymous_client_on_a_private_endpoint(client):
    body = _problem(client.get("/api/v1/_probe/private/"), 403)
    assert body["code"] == "not_authenticated"


def test_items_api_rejects_a_bad_filter_value_with_a_problem(client):
    """The catalogue's filters validate their input (`proactive` is a boolean)."""
    body = _problem(client.get("/api/v1/items/?proactive=maybe"), 400)
    assert "proactive" in str(body.get("errors", body["detail"]))


def test_items_api_404_for_an_unknown_code(client):
    _problem(client.get("/api/v1/items/NO-SUCH-CODE-000/"), 404)

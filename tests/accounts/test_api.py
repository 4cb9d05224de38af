import pytest
from django.core.cache import cache

from portal.accounts.models import User

pytestmark = pytest.mark.django_db


def test_request_and_verify_a_code_over_the_api(client, read_code):
    response = client.post(
        "/api/v1/auth/otp/", {"mobile": "13500000001"}, content_type="application/json"
    )
    assert response.status_code == 202
    assert response.json()["expires_in"] == 300
    response = client.post(
        "/api/v1/auth/otp/verify/",
        {"mobile": "13500000001", "code": read_code("13500000001")},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["mobile"] == "135****0001"
    assert body["role"] == "citizen"
    assert int(client.session["_auth_user_id"]) == User.objects.get(mobile="13500000001").pk


def test_refusals_are_problem_details(client):
    response = client.post(
        "/api/v1/auth/otp/verify/",
        {"mobile": "13500000002", "code": "123456"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")
    assert "no valid code" in response.json()["detail"]


def test_asking_again_too_soon_is_a_429_with_the_wait(client):
    client.post("/api/v1/auth/otp/", {"mobile": "13500000004"}, content_type="application/json")
    response = client.post(
        "/api/v1/auth/otp/",
        {"mobile": "13500000004"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 429
    assert "ask for a new one in" in response.json()["detail"]
    assert response.json()["retry_after"] == 60


def test_bad_input_is_a_400(client):
    for payload in (
        {"mobile": 13500000003},
        {"mobile": "1350000"},
        {"mobile": "12500000003"},
        {"mobile": "13500000003", "purpose": "nothing"},
        {},
    ):
        response = client.post("/api/v1/auth/otp/", payload, content_type="application/json")
        assert response.status_code == 400, payload


def test_code_requests_are_throttled(client, settings):
    cache.clear()
    statuses = []
    for i in range(7):
        response = client.post(
            "/api/v1/auth/otp/", {"mobile": f"135000001{i:02d}"}, content_type="application/json"
        )
        statuses.append(response.status_code)
    assert statuses[:5] == [202] * 5
    assert statuses[5] == 429

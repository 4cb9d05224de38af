"""Anonymous API reads are throttled; writes need authentication."""

from __future__ import annotations

import pytest

from portal.api.throttling import RateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_a_minute(monkeypatch):
    monkeypatch.setattr(RateThrottle, "rates", {"anon": "3/minute"})


def test_anonymous_reads_are_throttled(client, three_a_minute):
    statuses = [client.get("/api/v1/regions/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/items/")
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/problem+json")
    assert "Retry-After" in response


def test_a_new_forwarded_for_header_does_not_reset_the_count(client, three_a_minute):
    """Without a trusted proxy (TRUSTED_PROXY_COUNT=0) X-Forwarded-For is the caller's own claim."""
    statuses = [
        client.get("/api/v1/regions/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def test_signed_in_users_are_not_throttled_by_the_anonymous_rate(
    client, django_user_model, three_a_minute
):
    client.force_login(django_user_model.objects.create_user("reader", password="pw-123456-x"))
    assert all(client.get("/api/v1/regions/").status_code == 200 for _ in range(5))


def test_writes_need_authentication(client):
    response = client.post("/api/v1/items/", {"code": "X"}, content_type="application/json")
    assert response.status_code in (401, 403)
    response = client.delete("/api/v1/regions/")
    assert response.status_code in (401, 403)

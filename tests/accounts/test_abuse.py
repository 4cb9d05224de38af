"""Password guessing, forged client addresses, login CSRF and floods are refused (issue 11)."""

from __future__ import annotations

import base64
import json
import threading

import pytest
from django.db import connection
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSWORD = "correct-horse-battery"


def _page_login(client, username, password, **extra):
    return client.post(
        LOGIN,
        {"method": "password", "password-username": username, "password-password": password},
        HTTP_ACCEPT_LANGUAGE="en",
        **extra,
    )


def test_page_login_locks_the_account_after_five_failures():
    UserFactory(username="wang")
    client = Client()
    statuses = [_page_login(client, "wang", f"guess-{n}").status_code for n in range(5)]
    assert statuses == [400, 400, 400, 400, 429]  # the fifth failure locks
    locked = _page_login(client, "wang", PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # another address guessing the same account is locked out too (per account)
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert _page_login(other, "wang", PASSWORD).status_code == 429


def test_one_address_guessing_many_accounts_is_locked_out():
    for n in range(6):
        UserFactory(username=f"user{n}")
    client = Client(REMOTE_ADDR="10.1.1.1")
    for n in range(5):
        _page_login(client, f"user{n}", "wrong")
    assert _page_login(client, "user5", PASSWORD).status_code == 429


def test_a_forwarded_for_header_does_not_escape_the_address_lockout():
    for n in range(6):
        UserFactory(username=f"fwd{n}")
    for n in range(5):
        _page_login(Client(HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"), f"fwd{n}", "wrong")
    locked = _page_login(Client(HTTP_X_FORWARDED_FOR="203.0.113.99"), "fwd5", PASSWORD)
    assert locked.status_code == 429


def test_admin_login_is_locked_out_too():
    UserFactory(username="boss", is_staff=True)
    client = Client()
    for n in range(5):
        client.post("/admin/login/", {"username": "boss", "password": f"no-{n}"})
    response = client.post("/admin/login/", {"username": "boss", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_basic_auth_guessing_is_locked_out_with_429():
    UserFactory(username="script")
    client = Client()

    def basic(password):
        token = base64.b64encode(f"script:{password}".encode()).decode()
        return client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Basic {token}")

    statuses = [basic(f"bad-{n}").status_code for n in range(5)]
    assert all(status in (401, 403) for status in statuses[:4]), statuses
    assert statuses[4] == 429  # the fifth failure locks
    response = basic(PASSWORD)
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/problem+json")


def test_otp_verify_refuses_a_cross_site_form_post():
    """Login CSRF: a form on another site must not sign the victim in as the attacker."""
    UserFactory(username="attacker", mobile="13600000077")
    client = Client(enforce_csrf_checks=True)
    form = client.post(
        "/api/v1/auth/otp/verify/",
        {"mobile": "13600000077", "code": "123456"},
        HTTP_ORIGIN="https://evil.example",
    )
    assert form.status_code in (403, 415)
    as_json = client.post(
        "/api/v1/auth/otp/verify/",
        json.dumps({"mobile": "13600000077", "code": "123456"}),
        content_type="application/json",
        HTTP_ORIGIN="https://evil.example",
    )
    assert as_json.status_code == 403
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db(transaction=True)
def test_parallel_otp_verifies_are_counted_atomically(settings):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises the requests anyway; the counter is the cache's")
    results: list[int] = []

    def verify():
        client = Client()
        response = client.post(
            "/api/v1/auth/otp/verify/",
            json.dumps({"mobile": "13600000088", "code": "000000"}),
            content_type="application/json",
        )
        results.append(response.status_code)

    threads = [threading.Thread(target=verify) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(429) >= 1

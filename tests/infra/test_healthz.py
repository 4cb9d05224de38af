"""/healthz: 200 only when the database answers."""

from __future__ import annotations

import json
import socket
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from portal.views import HealthCheckMiddleware

from .conftest import run_manage

pytestmark = pytest.mark.django_db


def test_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_503_when_the_database_raises(client):
    with mock.patch(
        "portal.views.connection.cursor", side_effect=OperationalError("server closed")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert "server closed" in response.json()["database"]


def test_only_get_and_head(client):
    assert client.post("/healthz").status_code == 405


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends


SCRIPT = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/healthz")
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


def test_503_when_the_database_server_is_down():
    """A real PostgreSQL URL pointing at a closed port: the check answers 503, not a 500."""
    env = {
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{_closed_port()}/nowhere",
    }
    result = run_manage("shell", "-c", SCRIPT, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert "OperationalError" in answer["body"]["database"]


def test_middleware_answers_before_host_validation_and_https_redirect():
    """Production puts HealthCheckMiddleware first: probes use IPs and plain HTTP."""
    downstream = mock.Mock(side_effect=AssertionError("must not reach the rest of the stack"))
    middleware = HealthCheckMiddleware(downstream)
    request = RequestFactory().get("/healthz", HTTP_HOST="10.0.0.7:8000")
    response = middleware(request)
    assert response.status_code == 200
    head = middleware(RequestFactory().head("/healthz", HTTP_HOST="10.0.0.7"))
    assert head.status_code == 200 and head.content == b""
    other = HealthCheckMiddleware(lambda request: "rest of the stack")
    assert other(RequestFactory().get("/healthz/more")) == "rest of the stack"

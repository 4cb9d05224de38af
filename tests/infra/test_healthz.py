"""/healthz: 200 only when the database and the cache answer, naming the dependency that failed
but never its error text; and a database that is down answers every page 503, never 500."""

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
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_503_when_the_database_raises(client, caplog):
    with mock.patch(
        "portal.views.connection.cursor",
        side_effect=OperationalError('connection to server at "db.internal" failed'),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable", "cache": "ok"}
    assert "db.internal" not in response.content.decode()  # the probe is public
    assert "db.internal" in caplog.text  # the operator reads it in the log


def test_503_when_the_cache_fails(client):
    with mock.patch("portal.views.cache.set", side_effect=ConnectionError("redis:6379 refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "cache": "unavailable"}


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
client = Client(raise_request_exception=False)
answers = {}
for path in ("/healthz", "/", "/api/v1/items/"):
    response = client.get(path)
    answers[path] = {
        "status": response.status_code,
        "type": response["Content-Type"],
        "retry": response.get("Retry-After"),
        "body": response.content.decode(),
    }
print(json.dumps(answers))
"""


def test_503_when_the_database_server_is_down():
    """A real PostgreSQL URL pointing at a closed port: the check answers 503, not a 500."""
    env = {
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{_closed_port()}/nowhere",
    }
    result = run_manage("shell", "-c", SCRIPT, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    health = answers["/healthz"]
    assert health["status"] == 503
    assert json.loads(health["body"])["database"] == "unavailable"
    assert "nowhere" not in health["body"]  # no database name, host or error text
    # a page: 503 in Chinese (and English), to be retried, not Django's 500
    page = answers["/"]
    assert page["status"] == 503 and page["retry"] == "30"
    assert "系统繁忙，请稍后再试" in page["body"] and "try again in a minute" in page["body"]
    # the API: problem details
    api = answers["/api/v1/items/"]
    assert api["status"] == 503 and api["type"] == "application/problem+json"
    assert json.loads(api["body"])["status"] == 503


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

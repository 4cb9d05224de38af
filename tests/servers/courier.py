"""The project's courier server (approvals.proactive.couriers.devserver) in a separate process,
for tests: started on a free port, told what to do through its control endpoints."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


class CourierServer:
    def __init__(self, state: Path, secret: str) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "approvals.proactive.couriers.devserver",
                "--port",
                "0",
                "--state",
                str(state),
                "--secret",
                secret,
                "--webhook-url",
                "",
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        assert line.startswith("courier listening on "), line
        self.url = line.removeprefix("courier listening on ")

    def _call(self, path: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(
            self.url + path,
            data=data,
            headers={"Content-Type": "application/json"},
            method="GET" if data is None else "POST",
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def reset(self) -> None:
        self._call("/_control/reset", {})
        self.configure(webhook_url="", api_key="")

    def configure(self, **values: str) -> None:
        self._call("/_control/config", values)

    def fail(self, count: int, status: int = 503) -> None:
        self._call("/_control/fail", {"count": count, "status": status})

    def advance(self, ref: str, status: str | None = None, reason: str = "") -> dict[str, Any]:
        payload = {"order_id": ref, "status": status, "reason": reason}
        return self._call("/_control/advance", payload)

    def state(self) -> dict[str, Any]:
        return self._call("/_control/orders")

    def orders(self) -> list[dict[str, Any]]:
        return list(self.state()["orders"].values())

    def order_calls(self) -> int:
        """POSTs to /v1/orders the server received (503s included)."""
        return int(self.state()["counts"].get("POST /v1/orders", 0))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()


@pytest.fixture(scope="session")
def courier_server(tmp_path_factory):
    """The courier server, one process for the session (on a free port)."""
    from django.conf import settings

    server = CourierServer(
        tmp_path_factory.mktemp("courier") / "orders.json", settings.COURIER_WEBHOOK_SECRET
    )
    yield server
    server.stop()


@pytest.fixture
def dev_courier(courier_server, monkeypatch):
    """The courier server, emptied, and the portal's courier plug-in pointed at it (retries due
    at once: a test runs the sweeper itself). Set on the settings object itself, not through
    override_settings: that would hide ``settings.SETTINGS_MODULE`` from the code under test."""
    from django.conf import settings

    courier_server.reset()
    monkeypatch.setattr(
        settings,
        "COURIER",
        {
            **getattr(settings, "COURIER", {}),
            "PLUGIN": "http_json",
            "URL": courier_server.url,
            "RETRY_DELAYS": [0, 0, 0, 0],
            "TIMEOUT": 5,
        },
    )
    return courier_server

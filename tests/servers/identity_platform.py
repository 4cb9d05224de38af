"""The test OpenID Connect provider (tests/servers/oidc/server.js, the npm package oidc-provider)
in a separate process: the province's unified identity platform for the tests, with a user at
each assurance level. ``configure(settings)`` points the portal at it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "tests" / "servers" / "oidc"
CLIENT_ID = "portal"
CLIENT_SECRET = "portal-test-secret"
PASSWORD = "demo12345"
# The provider's users (server.js): the level each signs in at, and their claims.
USERS = {
    "face_user": {
        "level": "face",
        "name": "张伟",
        "resident_id": "370202199001011237",
        "mobile": "13800000021",
    },
    "sms_user": {
        "level": "sms",
        "name": "李娜",
        "resident_id": "370203198505052341",
        "mobile": "13800000022",
    },
    "password_user": {
        "level": "password",
        "name": "王芳",
        "resident_id": "370211197803034569",
        "mobile": "13800000023",
    },
}


class IdentityPlatform:
    def __init__(self, redirect_uris: list[str]) -> None:
        subprocess.run([str(ROOT / "scripts" / "oidc-provider.sh")], check=True)
        command = ["node", "server.js", "--port", "0", "--client-id", CLIENT_ID]
        command += ["--client-secret", CLIENT_SECRET]
        for uri in redirect_uris:
            command += ["--redirect-uri", uri]
        self.process = subprocess.Popen(
            command, cwd=SERVER, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        assert line.startswith("oidc provider listening on "), line
        self.issuer = line.removeprefix("oidc provider listening on ")

    def settings(self) -> dict:
        from django.conf import settings

        return {
            **settings.UNIFIED_IDENTITY,
            "ISSUER": self.issuer,
            "CLIENT_ID": CLIENT_ID,
            "CLIENT_SECRET": CLIENT_SECRET,
            "AUTHORIZATION_ENDPOINT": "",
            "TOKEN_ENDPOINT": "",
            "USERINFO_ENDPOINT": "",
            "JWKS_ENDPOINT": "",
        }

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()


def walk_provider(start_url: str, username: str, *, stop_at: str) -> str:
    """Sign ``username`` in at the provider with ``requests`` (no browser), passing the level's
    check page when there is one; returns the URL the provider sends back (under ``stop_at``)."""
    import re
    from urllib.parse import urljoin

    import requests

    session = requests.Session()
    response = session.get(start_url, allow_redirects=False, timeout=10)
    for _ in range(10):
        location = response.headers.get("location", "")
        if location.startswith(stop_at):
            return location
        if response.status_code in (301, 302, 303) and location:
            response = session.get(urljoin(response.url, location), allow_redirects=False)
            continue
        form = re.search(r'action="([^"]+)"', response.text)
        assert form, response.text
        data = dict(re.findall(r'name="(username|level)" value="([^"]*)"', response.text))
        if "/login" in form.group(1):
            data = {"username": username, "password": PASSWORD}
        response = session.post(
            urljoin(response.url, form.group(1)), data=data, allow_redirects=False, timeout=10
        )
    raise AssertionError("the provider never sent the visitor back")


@pytest.fixture(scope="session")
def identity_platform_process():
    """The provider, one process for the session; it knows the test client's callback and the
    live server's (pytest-django's live server listens on localhost)."""
    platform = IdentityPlatform(["http://testserver/accounts/unified/callback/"])
    yield platform
    platform.stop()


@pytest.fixture
def identity_platform(identity_platform_process, monkeypatch):
    """The portal pointed at the test provider (on the settings object, as ``dev_courier``)."""
    from django.conf import settings

    monkeypatch.setattr(settings, "UNIFIED_IDENTITY", identity_platform_process.settings())
    return identity_platform_process

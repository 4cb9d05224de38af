"""Helpers for the cross-cutting checks: run manage.py in a subprocess with a given profile."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def subprocess_env(env: dict[str, str | None] | None = None) -> dict[str, str]:
    """os.environ plus ``env`` (a None value removes the variable); for the production
    profile without the test-only switches."""
    full_env = {**os.environ, **(env or {})}
    full_env = {key: value for key, value in full_env.items() if value is not None}
    full_env.pop("PYTEST_CURRENT_TEST", None)
    if full_env.get("DJANGO_SETTINGS_MODULE") == "portal.settings.production":
        # set by the Makefile and tests/conftest.py for Playwright; check --deploy rejects it
        full_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return full_env


def run_manage(*args: str, env: dict[str, str | None] | None = None, timeout: int = 300):
    """Run ``python manage.py ARGS`` from the repository root; returns the CompletedProcess."""
    full_env = subprocess_env(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def production_env(tmp_path_factory) -> dict[str, str]:
    """The environment a production deployment must provide (SQLite file: no server needed)."""
    tmp_path = tmp_path_factory.mktemp("production")
    return {
        **signing_env(tmp_path / "signing"),
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "portal.qingdao.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "COURIER_WEBHOOK_SECRET": secrets.token_urlsafe(40),
    }


def signing_env(directory: Path) -> dict[str, str]:
    """A signing key and its CA as production configures them (a PKCS#12 file, no
    development mark), made for the test."""
    import json

    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    from portal.signing import keys

    keys.ensure_dev_ca(directory, development=False)
    paths = keys.dev_paths(directory)
    passphrase = paths["passphrase"].read_bytes()
    ca_cert = x509.load_pem_x509_certificate(paths["ca_cert"].read_bytes())
    ca_key = serialization.load_pem_private_key(paths["ca_key"].read_bytes(), password=passphrase)
    p12 = directory / "portal.p12"
    keys.make_authority_p12(
        p12, "青岛市行政审批服务局", passphrase, ca_cert, ca_key, development=False
    )
    return {
        "SIGNING_AUTHORITIES": json.dumps(
            {"portal": {"p12": str(p12), "passphrase_env": "SIGNING_TEST_PASSPHRASE"}}
        ),
        "SIGNING_TEST_PASSPHRASE": passphrase.decode(),
        "SIGNING_TRUST_ROOTS": str(paths["ca_cert"]),
        "SIGNING_DEFAULT_AUTHORITY": "portal",
    }

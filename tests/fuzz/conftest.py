"""A live portal for the fuzz run: its own SQLite file with the demo data, served by gunicorn
with the bench profile (no throttling). Two sync workers: SQLite takes the write lock at BEGIN
(IMMEDIATE), so concurrent writers wait for each other instead of failing."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent

USERS = """
from django.contrib.auth import get_user_model
User = get_user_model()
admin, _ = User.objects.get_or_create(username="fuzz-admin", defaults={"is_staff": True,
    "is_superuser": True})
admin.set_password("fuzz-admin-pass"); admin.save()
citizen, _ = User.objects.get_or_create(username="fuzz-citizen")
citizen.set_password("fuzz-citizen-pass"); citizen.save()
"""


@dataclass(frozen=True)
class LivePortal:
    url: str
    log: Path
    schema: Path  # /api/schema/ as this server serves it, fetched once


def _fetch_schema(url: str, target: Path) -> None:
    """The server's own OpenAPI document, fetched once with a patient timeout: generating it
    takes a cold worker seconds, and schemathesis gives a schema URL only 10 s (CI failed on that
    once, on a saturated machine), so each pass reads this file instead."""
    with urllib.request.urlopen(f"{url}/api/schema/?format=json", timeout=300) as response:
        target.write_bytes(response.read())


def _env(database: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.bench",
        "BENCH_SQLITE_PATH": str(database),
        # every kind of record, a tenth of the legal-aid bulk: the fuzz needs rows to link, not
        # volume, and the whole demo was four of the lane's twenty minutes on CI
        "DEMO_SCALE": "0.1",
    }
    for name in ("DATABASE_URL", "PYTEST_CURRENT_TEST", "REDIS_URL"):
        env.pop(name, None)
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr[-4000:]}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_portal(tmp_path_factory) -> LivePortal:
    work = tmp_path_factory.mktemp("fuzz")
    env = _env(work / "fuzz.sqlite3")
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "createcachetable")
    _manage(env, "load_demo", "-v", "0")
    _manage(env, "shell", "-c", USERS)
    port = _free_port()
    log = work / "server.log"
    server_env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",  # SQLite in IMMEDIATE mode: concurrent writers wait
        "GUNICORN_TIMEOUT": "60",
        "GUNICORN_ACCESS_LOG": "",
        "LOG_LEVEL": "ERROR",
    }
    with log.open("w") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi"],
            cwd=ROOT,
            env=server_env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail("the fuzz server exited:\n" + log.read_text())
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("the fuzz server did not start")
                time.sleep(0.2)
        url = f"http://127.0.0.1:{port}"
        _fetch_schema(url, work / "schema.json")
        yield LivePortal(url=url, log=log, schema=work / "schema.json")
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()

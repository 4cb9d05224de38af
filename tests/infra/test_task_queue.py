"""django-q2 with a real `qcluster`: the ORM broker by default (what `make run` starts) and Redis
when REDIS_URL is set. Each run uses its own SQLite file (and its own Redis database)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .conftest import ROOT, run_manage, subprocess_env

ENQUEUE = """
import json
from django_q.brokers import get_broker
from django_q.tasks import async_task, result
task_id = async_task("math.copysign", 2, -1)
value = result(task_id, wait=45000)
print(json.dumps({"broker": type(get_broker()).__name__, "result": value}))
"""


def _redis_url() -> str | None:
    base = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    parsed = urlparse(base)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1):
            pass
    except OSError:
        return None
    # a database of its own, so a developer's running cluster does not take our task
    return f"redis://{parsed.netloc}/{13 + os.getpid() % 3}"


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("queue") / "template.sqlite3"
    env = {"DJANGO_SETTINGS_MODULE": "portal.settings.dev", "DATABASE_URL": f"sqlite:///{path}"}
    migrated = run_manage("migrate", "--noinput", "-v", "0", env=env)
    assert migrated.returncode == 0, migrated.stderr
    assert run_manage("createcachetable", env=env).returncode == 0
    return path


def _run_through_cluster(tmp_path, template: Path, extra_env: dict[str, str | None]) -> dict:
    database = tmp_path / "queue.sqlite3"
    shutil.copyfile(template, database)
    env = {
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{database}",
        "Q_WORKERS": "1",
        **extra_env,
    }
    cluster = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=subprocess_env(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        time.sleep(0.5)
        enqueued = run_manage("shell", "-c", ENQUEUE, env=env, timeout=90)
        assert enqueued.returncode == 0, enqueued.stderr
        return json.loads(enqueued.stdout.strip().splitlines()[-1])
    finally:
        cluster.terminate()
        try:
            cluster.wait(timeout=20)
        except subprocess.TimeoutExpired:
            cluster.kill()
            cluster.wait()
        cluster.stdout.close()


def test_task_runs_through_the_orm_broker(tmp_path, migrated_database):
    answer = _run_through_cluster(tmp_path, migrated_database, {"REDIS_URL": None})
    assert answer == {"broker": "ORM", "result": -2.0}


def test_task_runs_through_redis_when_redis_url_is_set(tmp_path, migrated_database):
    url = _redis_url()
    if url is None:
        pytest.skip("no Redis answers at REDIS_URL or 127.0.0.1:6379")
    answer = _run_through_cluster(tmp_path, migrated_database, {"REDIS_URL": url})
    assert answer == {"broker": "Redis", "result": -2.0}

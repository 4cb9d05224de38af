"""A recycled gunicorn worker serves at once (ADR 0126): the master holds the loaded application
and forks each worker from it, so the requests that arrive while a worker is replaced wait for a
fork, not for Django and the portal to load again (0.65 s of CPU). Measured on one worker that
recycles every 20 or so requests: the slowest request across the recycles stays well under the
time a load takes (measured beside it), and workers were in fact replaced."""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import time
import urllib.request

import pytest

from .conftest import ROOT, subprocess_env
from .test_production import _free_port

REQUESTS = 120


def _serve(env: dict[str, str]) -> tuple[list[float], int]:
    """Per-request seconds of ``REQUESTS`` health checks, one after another, and how many
    workers the master booted."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi"],
        cwd=ROOT,
        env=subprocess_env(
            {
                **env,
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "WEB_CONCURRENCY": "1",
                "GUNICORN_MAX_REQUESTS": "20",  # and up to 2 of jitter
                "GUNICORN_ACCESS_LOG": "",
            }
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/healthz"
    took: list[float] = []
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url, timeout=10).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("gunicorn did not serve:\n" + (process.stdout.read() or ""))
                time.sleep(0.2)
        for _ in range(REQUESTS):
            started = time.perf_counter()
            with urllib.request.urlopen(url, timeout=10) as response:
                assert response.status == 200
            took.append(time.perf_counter() - started)
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    return took, len(re.findall(r"Booting worker with pid", output))


def _load_seconds(env: dict[str, str]) -> float:
    """How long loading the application takes on this machine now (what a worker that loads it
    itself makes the requests wait for)."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "import portal.wsgi"],
        cwd=ROOT,
        env=subprocess_env(env),
        check=True,
        timeout=120,
    )
    return time.perf_counter() - started


def test_a_recycled_worker_serves_within_a_fork_not_a_load(production_env):
    took, booted = _serve(production_env)
    load = _load_seconds(production_env)
    assert booted >= 1 + REQUESTS // 25, booted  # recycled about every 20 requests
    slowest = sorted(took)[-(booted - 1) :]  # the requests that met a replacement
    # Seen: 0.11 s against a load of 0.7 s; a worker that loads the application itself: 0.73 s.
    assert statistics.median(slowest) < load / 2, ([round(s, 3) for s in slowest], load)

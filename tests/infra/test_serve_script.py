"""`make run` serves through scripts/serve.sh: Ctrl-C stops the web server, the django-q2 worker
(its parent, sentinel and workers) and the development courier, and leaves no process behind
(issue 14 point 8: the worker's parent outlived Ctrl-C)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

from .conftest import ROOT, run_manage, subprocess_env

MARKER = "PORTAL_SERVE_TEST"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _marked(token: str) -> list[int]:
    """PIDs of live processes whose environment carries this run's token."""
    needle = f"{MARKER}={token}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:  # ended meanwhile, or not ours to read
            continue
        if state != "Z":
            found.append(int(entry.name))
    return found


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_ctrl_c_stops_the_server_the_worker_and_the_courier(tmp_path):
    token = uuid.uuid4().hex
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}", MARKER: token}
    for command in (("migrate", "-v0"), ("createcachetable",)):
        done = run_manage(*command, env=env)
        assert done.returncode == 0, done.stderr
    port, courier_port = _free_port(), _free_port()
    log = (tmp_path / "serve.log").open("w")
    # a session of its own, as a terminal runs make: Ctrl-C goes to its whole process group
    serve = subprocess.Popen(
        ["scripts/serve.sh", "127.0.0.1", str(port), str(courier_port)],
        cwd=ROOT,
        env=subprocess_env({**env, "VAR_DIR": str(tmp_path / "var")}),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not _answers(port):
            assert serve.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.5)
        # the cluster's parent, its sentinel, pusher, monitor and workers; the courier; the
        # server and its autoreloader
        while len(_marked(token)) < 7 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert len(_marked(token)) >= 7, (tmp_path / "serve.log").read_text()

        os.killpg(serve.pid, signal.SIGINT)
        assert serve.wait(timeout=30) == 130
        deadline = time.monotonic() + 5
        while _marked(token) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _marked(token) == []
        assert not _answers(port)
        assert (
            "stopped the web server, the worker and the courier"
            in (tmp_path / "serve.log").read_text()
        )
    finally:
        for pid in _marked(token):
            os.kill(pid, signal.SIGKILL)
        log.close()

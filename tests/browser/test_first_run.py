"""Issue 14 point 8 in a real browser, Chinese and English: the portal started as `make run` starts
it, on a port that is not 8000 and with PUBLIC_BASE_URL unset, puts that port in the links its
messages carry, so the holder's inbox button opens the offer on the same server (it used to send
him silently back to the inbox); and Ctrl-C leaves none of its processes behind.

The portal is started through the Makefile's own `run` target, so the value of PUBLIC_BASE_URL is
whatever the Makefile gives the demo loader and scripts/serve.sh, not a value this test chose. Only
the slow, unrelated set-up is cut: the packages and the .mo files are already there (``-o``), the
SQLite file starts as a copy of the test database's migrated schema (migrating afresh takes about
45 s on the CI machine; `make migrate` still runs and finds nothing to do), and the demo loads
only the parts that give the demo holder an offer (the whole demo takes 2.5 minutes)."""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.db import connection
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(__file__).resolve().parent.parent.parent
MARKER = "PORTAL_FIRST_RUN_TEST"
# The demo's parts that give company_rep (demo12345) an offer and its messages.
DEMO_PART = "catalogue accounts proactive"
WORDS = {
    "zh-hans": {"inbox": "我的消息", "button": "查看并确认"},
    "en": {"inbox": "My messages", "button": "Review and confirm"},
}


def _free_port() -> int:
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port != 8000:
            return port


def _marked(token: str) -> dict[int, str]:
    """Live processes whose environment carries this run's token: PID -> command line."""
    needle = f"{MARKER}={token}".encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:  # ended meanwhile, or not ours to read
            continue
        if state != "Z":
            found[int(entry.name)] = command
    return found


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _migrated_schema(target: Path) -> None:
    """Copy the test database (migrated, holding only the migrations' rows) into ``target``.
    Under PostgreSQL there is nothing to copy: `make migrate` then migrates the file itself."""
    if connection.vendor != "sqlite":
        return
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    copy.close()


def _environment(tmp_path: Path, token: str) -> dict[str, str]:
    """A developer's shell: no PUBLIC_BASE_URL, no test settings (manage.py's default, the
    development profile), no outer make's flags; this run's own database, media, keys and
    courier state."""
    env = dict(os.environ)
    for name in (
        "PUBLIC_BASE_URL",
        "DJANGO_SETTINGS_MODULE",
        "PYTEST_CURRENT_TEST",
        "REDIS_URL",
        "DATABASE_REPLICA_URL",
        "MAKEFLAGS",
        "MFLAGS",
        "MAKELEVEL",
    ):
        env.pop(name, None)
    return {
        **env,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SIGNING_DIR": str(tmp_path / "signing"),
        "VAR_DIR": str(tmp_path / "var"),
        MARKER: token,
    }


def _make_run(tmp_path: Path, token: str, port: int, courier_port: int, log) -> subprocess.Popen:
    """`make run PORT=...` in a session of its own, as a terminal runs it, with the slow set-up
    left out (see the module's docstring). The demo part is a prerequisite of `run`, so it gets
    the environment the Makefile gives `run` and its prerequisites."""
    return subprocess.Popen(
        [
            "make",
            "--no-print-directory",
            *("-o", "install", "-o", "system-deps", "-o", "compilemessages", "-o", "demo"),
            "--eval",
            f"first-run-demo: migrate ; $(PYTHON) manage.py load_demo --only {DEMO_PART}",
            "--eval",
            "run: first-run-demo",
            "HOST=127.0.0.1",
            f"PORT={port}",
            f"COURIER_PORT={courier_port}",
            "run",
        ],
        cwd=ROOT,
        env=_environment(tmp_path, token),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _sign_in(page, base: str, language: str) -> None:
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_password-username").fill("company_rep")
    page.locator("#id_password-password").fill("demo12345")
    page.locator("#password-signin button[type=submit]").click()
    page.wait_for_load_state()


def test_make_run_on_another_port_links_to_itself_and_stops_on_ctrl_c(
    page, tmp_path, transactional_db
):
    token = uuid.uuid4().hex
    port, courier_port = _free_port(), _free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "make-run.log"
    _migrated_schema(tmp_path / "portal.sqlite3")
    output = log.open("w")
    run = _make_run(tmp_path, token, port, courier_port, output)
    try:
        deadline = time.monotonic() + 240
        while not _answers(port):
            assert run.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)

        # one server for both languages: `make run` is the slow part of this test
        for language, words in WORDS.items():
            _sign_in(page, base, language)
            page.locator("header a.inbox-link").click()
            page.wait_for_load_state()
            assert page.get_by_role("heading", level=1).inner_text() == words["inbox"]
            assert_accessible(page)
            # unread: a button that marks the message read and follows its link; read (the
            # second language): the link itself
            label = re.compile(f"^{re.escape(words['button'])}")
            action = page.get_by_role("button", name=label).or_(
                page.get_by_role("link", name=label)
            )
            action.first.click()
            # the offer, on this server: not on 8000, not back in the inbox
            page.wait_for_url(re.compile(rf"^{re.escape(base)}/proactive/offers/[^/]+/$"))
            assert page.get_by_role("heading", level=1).inner_text() != words["inbox"]
            expect(page.locator("#offer-question")).to_be_visible()
            assert_accessible(page)

        # what the holder's phone got: the SMS link names this server (the outbox is open in
        # DEBUG, as `make run` serves)
        page.goto(f"{base}/inbox/outbox/")
        outbox = page.locator("main").inner_text()
        assert f"{base}/proactive/offers/" in outbox
        assert ":8000/" not in outbox

        # Ctrl-C in the terminal: SIGINT to the whole foreground process group
        running = _marked(token)
        assert len([c for c in running.values() if "qcluster" in c]) >= 2, running
        os.killpg(run.pid, signal.SIGINT)
        run.wait(timeout=30)
        deadline = time.monotonic() + 5
        while _marked(token) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _marked(token) == {}, log.read_text()
        assert not _answers(port)
        assert "stopped the web server, the worker and the courier" in log.read_text()
    finally:
        for pid in _marked(token):
            os.kill(pid, signal.SIGKILL)
        if run.poll() is None:
            run.kill()
            run.wait()
        output.close()

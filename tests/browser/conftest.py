"""Browser tests: Playwright drives the system Chromium headless against Django's live server,
and axe-core (shipped by axe-playwright-python, offline) checks each page for accessibility.

Every test here is marked ``browser``. Use the ``page`` fixture (pytest-playwright) with
``live_server.url``, and call ``assert_accessible(page)`` on every page a test visits."""

from __future__ import annotations

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

_axe = Axe()


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects: `-m browser` must see the marker
def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture(autouse=True)
def _page_timeouts(page):
    page.set_default_timeout(15_000)
    return


@pytest.fixture(autouse=True)
def _no_csp_violations(page):
    """Every page a browser test loads runs under the portal's Content-Security-Policy; the test
    fails when the browser refuses anything of the portal's own (an inline style or script, an
    outside asset)."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield refused
    assert not refused, "CSP violations:\n" + "\n".join(refused)


def assert_accessible(page) -> None:
    """Fail when axe-core finds a serious or critical violation on the current page."""
    results = _axe.run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + ", ".join(str(node.get("target")) for node in v["nodes"][:5])
        for v in bad
    )
    assert not bad, f"Accessibility violations on {page.url}:\n{details}"


def switch_language(page, code: str) -> None:
    """Use the language switcher in the header, as a visitor would."""
    page.select_option("#language-select", code)
    page.get_by_role("button", name=("Switch" if code == "zh-hans" else "切换")).click()

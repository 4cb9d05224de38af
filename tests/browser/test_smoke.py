"""The browser fixtures work: the system Chromium opens the home page, the header switcher
changes the language, and axe-core finds no serious or critical violation either way."""

from __future__ import annotations

import pytest

from .conftest import assert_accessible, switch_language

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_in_chinese_then_english_and_back(page, live_server):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "青岛" in page.title()
    assert_accessible(page)

    switch_language(page, "en")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Qingdao Government Services" in page.title()
    assert page.url.rstrip("/") == live_server.url
    assert_accessible(page)

    switch_language(page, "zh-hans")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-CN"


def test_skip_link_moves_focus_to_the_main_content(page, live_server):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("path", ["/", "/signing/"])  # the CA page lists 64-digit hashes
def test_narrow_screen_has_no_horizontal_scroll(page, live_server, path):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + path)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{path} is {overflow}px wider than a 360px screen"
    assert_accessible(page)

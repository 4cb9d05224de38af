"""Tables and filters on a 390 px phone (issue 14 point 6), in Chinese and English: every table
page keeps its cells at least three characters wide (the table scrolls in its own box instead of
squeezing 我的办件's item names to one character a line), case numbers and dates stay on one
line, the outlet finder's filters fold so the results come first, and axe-core finds nothing
serious. The pattern is ADR 0104's; the pages are the citizen's cases, the staff worklists, the
legal-aid worklist, the outlet finder and city list and a catalogue list."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.legal_aid import factories as legal

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}

#: (who signs in, path); None: a visitor
PAGES = [
    (None, "/outlets/"),
    (None, "/outlets/all/"),
    (None, "/lists/city_wide/"),
    ("citizen", "/cases/"),
    ("case_staff", "/cases/staff/"),
    ("legal_w", "/legal-aid/staff/"),
    ("legal_w", "/legal-aid/statistics/"),  # its tables were not in a .table-wrap
]

#: cells narrower than three characters of their own font; references and dates on two lines
MEASURE = """() => {
  const narrow = [], wrapped = [];
  for (const cell of document.querySelectorAll('main td, main th')) {
    if (!cell.checkVisibility() || cell.closest('.visually-hidden')) continue;
    const box = cell.getBoundingClientRect();
    const style = getComputedStyle(cell);
    const content = box.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (box.width && content < 3 * parseFloat(style.fontSize))
      narrow.push(`${cell.textContent.trim().slice(0, 20)} (${Math.round(content)} px)`);
  }
  for (const token of document.querySelectorAll('main .ref, main time')) {
    if (!token.checkVisibility()) continue;
    const lineHeight = parseFloat(getComputedStyle(token).lineHeight) || 24;
    const box = token.getBoundingClientRect();
    if (token.getClientRects().length > 1 || box.height > 1.5 * lineHeight)
      wrapped.push(token.textContent.trim());
  }
  const overflow = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  const cells = document.querySelectorAll('main td').length;
  return {narrow, wrapped, overflow, cells};
}"""


def _demo(*labels):
    with override_settings(DEBUG=True):  # the demo accounts' passwords are for DEBUG only
        call_command("load_demo", only=list(labels), stdout=StringIO())


@pytest.fixture
def portal(transactional_db):
    _demo("catalogue", "accounts", "outlets", "approvals")
    from legal_aid import reference

    reference.load()
    app = legal.submit(legal.citizen())
    legal.staff_user(app.competent_centre.code, username="legal_w")
    for serial in range(2, 5):
        legal.submit(legal.citizen(f"worker{serial}", serial, f"1396900{serial:04d}"))


def _open(page, live_server, user, path, language):
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    if user:
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("#id_password-username").fill(user)
        password = "demo12345" if user != "legal_w" else "correct-horse-battery"
        page.locator("#id_password-password").fill(password)
        page.locator("#password-signin button[type=submit]").click()
        page.wait_for_load_state()
    page.goto(f"{live_server.url}{path}")


def test_no_table_cell_is_squeezed_on_a_phone(page, live_server, portal):
    """One data load for both languages and both widths (the demo takes a while)."""
    for language in ("zh-hans", "en"):
        page.set_viewport_size(PHONE)
        for user, path in PAGES:
            _open(page, live_server, user, path, language)
            expected = "zh-CN" if language == "zh-hans" else "en"
            assert page.locator("html").get_attribute("lang") == expected, path
            result = page.evaluate(MEASURE)
            where = f"{path} ({language}, 390 px)"
            assert result["cells"] or path == "/outlets/", f"{where}: no table to measure"
            assert not result["narrow"], f"{where}: cells under 3 characters: {result['narrow']}"
            assert not result["wrapped"], f"{where}: broken inside: {result['wrapped'][:5]}"
            assert result["overflow"] <= 1, f"{where}: the page scrolls sideways"
            assert_accessible(page)
        # case numbers and dates broke mid-token at 1280 px too
        page.set_viewport_size({"width": 1280, "height": 900})
        for user, path in PAGES:
            _open(page, live_server, user, path, language)
            result = page.evaluate(MEASURE)
            where = f"{path} ({language}, 1280 px)"
            assert not result["wrapped"], f"{where}: broken inside: {result['wrapped'][:5]}"
            assert not result["narrow"], f"{where}: {result['narrow'][:5]}"


@pytest.fixture
def outlets(transactional_db):
    _demo("catalogue", "outlets")


def test_outlet_filters_fold_on_a_phone_and_stay_open_on_a_desktop(page, live_server, outlets):
    page.set_viewport_size(PHONE)
    _open(page, live_server, None, "/outlets/", "zh-hans")
    district = page.get_by_label("区", exact=True)
    expect(district).not_to_be_visible()
    # the first result is on the first screen, above the fold
    first = page.locator("#outlet-results > li").first
    assert first.bounding_box()["y"] < PHONE["height"]
    page.get_by_text("更多筛选条件").click()
    expect(district).to_be_visible()
    assert_accessible(page)
    # a filter in use: the panel comes back open
    district.select_option(index=1)
    page.get_by_role("button", name="查找网点").click()
    page.wait_for_load_state()
    expect(page.get_by_label("区", exact=True)).to_be_visible()

    page.set_viewport_size({"width": 1280, "height": 900})
    _open(page, live_server, None, "/outlets/", "en")
    expect(page.get_by_label("District", exact=True)).to_be_visible()
    expect(page.get_by_text("More filters")).not_to_be_visible()

"""Issue 14 points 2, 9 and 10 in a browser, Chinese and English, axe-core on every page: the
error pages in the site layout with a way back (a cut-off offer link among them), the header on
one row at 1280 px for a signed-in clerk, the language menu naming each language in its own
words, and the admin under the portal's name."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from portal.accounts.models import Role
from tests.approvals.factories import department_staff, district_department
from tests.browser.conftest import assert_accessible, switch_language
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SHOTS = os.environ.get("WORDS_SCREENSHOTS", "")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def people(transactional_db):
    department_staff(district_department("370202"), "reviewer_words")
    UserFactory(username="citizen_words")
    UserFactory(username="admin_words", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)


def _sign_in(page, live_server, username: str, language: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    if language == "en":
        switch_language(page, "en")
        page.wait_for_load_state()
    page.locator("#id_password-username").fill(username)
    page.locator("#id_password-password").fill("correct-horse-battery")
    page.locator("#password-signin button[type=submit]").click()
    page.wait_for_load_state()


def _in_english(page, live_server, language: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/")
    if language == "en":
        switch_language(page, "en")
        page.wait_for_load_state()


ERRORS = {
    # path: (status, Chinese heading, English heading, a next step's link text zh, en)
    "/no-such-page/": (404, "页面不存在", "Page not found", "返回首页", "Back to the home page"),
    "/proactive/offers/12-abcdef": (
        404,
        "链接不完整",
        "This link is incomplete",
        "登录后查看收到的推送",
        "Sign in and see my offers",
    ),
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_error_pages_in_the_layout_with_a_way_back(page, live_server, people, language):
    _in_english(page, live_server, language)
    for path, (status, zh, en, step_zh, step_en) in ERRORS.items():
        response = page.goto(live_server.url + path)
        assert response.status == status, path
        expect(page.locator("header.site-header")).to_be_visible()
        expect(page.locator("footer.site-footer")).to_be_visible()
        heading = zh if language == "zh-hans" else en
        assert page.get_by_role("heading", level=1).inner_text() == heading
        step = page.get_by_role("link", name=step_zh if language == "zh-hans" else step_en)
        expect(step.first).to_be_visible()
        assert "12345" in page.locator("main").inner_text()
        assert page.locator("html").get_attribute("lang") == (
            "zh-CN" if language == "zh-hans" else "en"
        )
        _shot(page, f"error-{status}-{path.strip('/').replace('/', '_')}-{language}")
        assert_accessible(page)
    # 403: a citizen on the staff worklist
    _sign_in(page, live_server, "citizen_words", language)
    response = page.goto(live_server.url + "/cases/staff/")
    assert response.status == 403
    expect(page.locator("header.site-header")).to_be_visible()
    _shot(page, f"error-403-{language}")
    assert_accessible(page)


def _one_row(page) -> None:
    """Brand, navigation and language menu share one row: every item's vertical centre lies
    within the header row's single line."""
    boxes = page.evaluate(
        """() => [...document.querySelectorAll(
            '.header-row > .brand, .header-row .nav-list > li, .header-row .language-switch')]
            .map(e => { const r = e.getBoundingClientRect(); return [e.className || e.tagName,
                        r.top, r.bottom]; })"""
    )
    centres = [(top + bottom) / 2 for _name, top, bottom in boxes]
    assert max(centres) - min(centres) < 12, boxes


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_header_is_one_row_at_1280_and_names_each_language_in_its_own_words(
    page, live_server, people, language
):
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, live_server, "reviewer_words", language)
    page.goto(live_server.url + "/cases/staff/")
    _one_row(page)
    options = page.locator("#language-select option")
    assert options.all_inner_texts() == ["中文", "English"]
    assert [options.nth(i).get_attribute("lang") for i in range(2)] == ["zh-CN", "en"]
    assert "英语" not in page.locator("header").inner_text()
    assert page.locator('link[rel="icon"]').count() >= 1
    _shot(page, f"staff-cases-1280-{language}")
    assert_accessible(page)
    # a phone still gets every link (the header wraps there)
    page.set_viewport_size({"width": 390, "height": 800})
    page.reload()
    expect(page.locator(".nav-list a.work-link")).to_be_visible()
    _shot(page, f"staff-cases-390-{language}")
    assert_accessible(page)


@pytest.mark.parametrize(
    ("language", "header", "not_said"),
    [
        ("zh-hans", "青岛政务服务网管理后台", ["Django", "过滤器"]),
        ("en", "Qingdao Government Services: administration", ["Django"]),
    ],
)
def test_the_admin_carries_the_portals_name(page, live_server, people, language, header, not_said):
    _sign_in(page, live_server, "admin_words", language)
    page.goto(live_server.url + "/admin/")
    assert page.locator("#site-name").inner_text().strip() == header
    assert page.title().startswith("后台首页" if language == "zh-hans" else "Back-office home")
    assert "Django" not in page.title()
    text = page.locator("body").inner_text()
    for word in not_said:
        assert word not in text
    _shot(page, f"admin-index-{language}")
    assert_accessible(page)
    page.goto(live_server.url + "/admin/approvals/case/")
    if language == "zh-hans":
        assert page.locator("#changelist-filter-header").inner_text().strip() == "筛选"
    else:
        assert page.locator("#changelist-filter-header").inner_text().strip().lower() == "filter"
    _shot(page, f"admin-cases-{language}")

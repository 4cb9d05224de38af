"""Each role lands on its work page after sign-in and finds it in the header (issue 14, point
4): department and acceptance-point staff on the case worklist, outlet managers on their outlets,
legal-aid staff on their worklist, an administrator in the admin; a citizen on the home page as
before, with no work link. In Chinese and in English, with axe-core on every landing page."""

from __future__ import annotations

import pytest

from legal_aid import reference
from legal_aid.models import Centre, StaffMembership
from portal.accounts.models import Role
from tests.approvals.factories import department_staff, district_department, hall, point_staff
from tests.browser.conftest import assert_accessible, switch_language
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

#: username -> (landing path, header link in Chinese, in English); None: no work link
LANDINGS = {
    "reviewer_w": ("/cases/staff/", "待办办件", "Cases to handle"),
    "hall_w": ("/cases/staff/", "待办办件", "Cases to handle"),
    "outlet_w": ("/outlets/manage/", "我的网点", "My outlets"),
    "legal_w": ("/legal-aid/staff/", "法律援助待办", "Legal-aid worklist"),
    "admin_w": ("/admin/", "后台管理", "Administration"),
    "citizen_w": ("/", None, None),
}


@pytest.fixture
def people(transactional_db):
    department_staff(district_department("370202"), "reviewer_w")
    point_staff(hall("370212"), "hall_w")
    UserFactory(username="outlet_w", role=Role.OUTLET_MANAGER)
    reference.load()
    legal = UserFactory(username="legal_w", role=Role.LEGAL_AID_STAFF)
    StaffMembership.objects.create(user=legal, centre=Centre.objects.get(code="LA370285"))
    UserFactory(username="admin_w", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    UserFactory(username="citizen_w")


def sign_in(page, live_server, username: str, language: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    if language == "en":
        switch_language(page, "en")
        page.wait_for_load_state()
    page.locator("#id_password-username").fill(username)
    page.locator("#id_password-password").fill("correct-horse-battery")
    page.locator("#password-signin button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_role_lands_on_its_work_page_with_a_header_link(page, live_server, people, language):
    for username, (path, zh_label, en_label) in LANDINGS.items():
        sign_in(page, live_server, username, language)
        assert page.url == live_server.url + path, username
        if path == "/admin/":  # the admin has its own layout: the portal's header is on the rest
            page.goto(f"{live_server.url}/")
        header = page.locator("header.site-header")
        work = header.locator("a.work-link")
        label = zh_label if language == "zh-hans" else en_label
        if label is None:
            assert work.count() == 0, username
            continue
        link = header.get_by_role("link", name=label, exact=True)
        assert link.get_attribute("href") == path, username
        if path != "/admin/":
            assert link.get_attribute("aria-current") == "page", username
        assert_accessible(page)


def test_an_explicit_next_still_wins(page, live_server, people):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/?next=/outlets/")
    page.locator("#id_password-username").fill("outlet_w")
    page.locator("#id_password-password").fill("correct-horse-battery")
    page.locator("#password-signin button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + "/outlets/"
    # the work page is in the header on every page, not only on itself
    link = page.locator("header.site-header").get_by_role("link", name="我的网点", exact=True)
    assert link.get_attribute("href") == "/outlets/manage/"
    assert link.get_attribute("aria-current") is None
    assert_accessible(page)

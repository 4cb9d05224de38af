"""axe-core on the pages the other browser tests do not open (issue 14 acceptance: "zero serious
or critical findings on every page, now including the error pages, the staff pages and the
admin"): the 403, 404, 500 and CSRF-failure pages, the staff worklist and a case page as staff,
the admin's index, a list and two change forms; in Chinese and English."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from playwright.sync_api import expect

from approvals import services
from approvals.models import Channel
from portal.errors import server_error
from tests.approvals.factories import (
    ServiceItemFactory,
    UserFactory,
    district_department,
    hall,
    make_resident_id,
    point_staff,
)
from tests.browser.conftest import _axe, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LANGUAGES = ["zh-hans", "en"]


@pytest.fixture
def setting(transactional_db):
    shinan = district_department("370202")
    item = ServiceItemFactory(code="BROWSER-A1", name="食品经营许可", department=shinan)
    point = hall("370202")
    citizen = UserFactory(username="citizen_a", real_name="王小明", resident_id=make_resident_id(1))
    case = services.submit_case(
        item=item,
        applicant_kind="person",
        applicant_id_number=make_resident_id(1),
        applicant_name="王小明",
        applicant_mobile="13900000001",
        applicant_user=citizen,
        channel=Channel.ONLINE,
        accepting_point=point,
        materials=[],
        by=citizen,
    )
    point_staff(point, "hall_a")
    UserFactory(username="admin_a", is_staff=True, is_superuser=True)
    return {"case": case, "item": item}


def use_language(page, live_server, language: str) -> None:
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )


def sign_in(page, live_server, username: str, language: str) -> None:
    page.context.clear_cookies()
    use_language(page, live_server, language)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_password-username").fill(username)
    page.locator("#id_password-password").fill("correct-horse-battery")
    page.locator("#password-signin button[type=submit]").click()
    page.wait_for_load_state()


def visit(page, url: str, status: int = 200) -> None:
    response = page.goto(url)
    assert response is not None and response.status == status, (url, response and response.status)
    assert_accessible(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_error_pages(page, live_server, setting, language):
    page.context.clear_cookies()
    use_language(page, live_server, language)
    visit(page, f"{live_server.url}/no-such-page/", 404)
    page.goto(f"{live_server.url}/proactive/offers/abc/")  # a cut-off offer link
    assert_accessible(page)
    # 403: a citizen on the staff worklist
    sign_in(page, live_server, "citizen_a", language)
    visit(page, f"{live_server.url}/cases/staff/", 403)
    # the CSRF failure: the sign-in form sent after its cookie is gone
    page.context.clear_cookies()
    use_language(page, live_server, language)
    page.goto(f"{live_server.url}/accounts/login/")
    page.context.clear_cookies()
    use_language(page, live_server, language)
    page.locator("#id_password-username").fill("citizen_a")
    page.locator("#id_password-password").fill("correct-horse-battery")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.locator("#password-signin button[type=submit]").click()
    assert answer.value.status == 403
    page.wait_for_load_state()
    expect(page.locator("#error-detail")).to_be_visible()
    assert_accessible(page)
    # 500: the page Django's handler answers, served at a URL of the live server (its CSS too)
    request = RequestFactory().get("/boom/")
    body = server_error(request).content

    def fulfil(route):
        route.fulfill(status=500, body=body, content_type="text/html; charset=utf-8")

    page.route(f"{live_server.url}/boom/", fulfil)
    visit(page, f"{live_server.url}/boom/", 500)


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_worklist_and_case_page(page, live_server, setting, language):
    sign_in(page, live_server, "hall_a", language)
    visit(page, f"{live_server.url}/cases/staff/")
    visit(page, f"{live_server.url}/cases/staff/?scope=point&status=all&q=王")
    visit(page, f"{live_server.url}{setting['case'].get_absolute_url()}")
    visit(page, f"{live_server.url}/cases/staff/walk-in/?item={setting['item'].code}")


def assert_accessible_without_preload(page) -> None:
    """As ``assert_accessible``, with axe-core's asset preload off: on the admin's change forms
    the preload copies stylesheets into inline <style> elements, which the portal's CSP refuses
    (axe's own doing, not the page's; the CSP check would fail the test for it)."""
    results = _axe.run(page, options={"resultTypes": ["violations"], "preload": False})
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + ", ".join(str(node.get("target")) for node in v["nodes"][:5])
        for v in bad
    )
    assert not bad, f"Accessibility violations on {page.url}:\n{details}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_admin_index_list_and_change_forms(page, live_server, setting, language):
    sign_in(page, live_server, "admin_a", language)
    visit(page, f"{live_server.url}/admin/")
    visit(page, f"{live_server.url}/admin/approvals/case/")
    for path in (
        f"/admin/approvals/case/{setting['case'].pk}/change/",
        f"/admin/catalogue/serviceitem/{setting['item'].pk}/change/",
    ):
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        assert_accessible_without_preload(page)

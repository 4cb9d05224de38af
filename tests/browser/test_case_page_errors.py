"""The case page's forms follow the application form's error pattern in a real browser (issue 14
point 3): a step sent without its reasons, or a file the portal refuses, brings the page back with
the error summary at the top, focused, each error a link that moves to its field, and the error
beside the field; in Chinese and English, with axe-core on the page in its error state.
Screenshots at 1280 and 390 px go to /tmp/journeys/."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from approvals import services
from approvals.models import Case, Channel, Status
from tests.approvals.factories import (
    ServiceItemFactory,
    UserFactory,
    district_department,
    hall,
    make_resident_id,
    material,
    point_staff,
)
from tests.browser.conftest import assert_accessible, switch_language

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SHOTS = os.environ.get("JOURNEYS_SHOTS", "/tmp/journeys")


@pytest.fixture
def setting(transactional_db):
    shinan = district_department("370202")
    item = ServiceItemFactory(
        code="BROWSER-E1", name="食品经营许可（仅销售预包装食品）", department=shinan
    )
    point = hall("370202")
    citizen = UserFactory(username="citizen_e", real_name="王小明", resident_id=make_resident_id(1))
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
    plan = material(item, "经营场所平面图", required=False, name_en="Floor plan of the premises")
    return {"case": case, "plan": plan, "staff": point_staff(point, "hall_e"), "citizen": citizen}


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


def focused_class(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.className")


def shoot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize(
    ("language", "reasons_error", "done"),
    [
        ("zh-hans", "请填写“不予受理”的理由。", "已完成"),
        ("en", "Give the reasons for “Refuse”.", "Done"),
    ],
)
def test_a_step_without_reasons_comes_back_with_a_focused_linked_summary(
    page, live_server, setting, language, reasons_error, done
):
    case = setting["case"]
    sign_in(page, live_server, "hall_e", language)
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.locator("button[value=refuse]").click()
    page.wait_for_load_state()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    assert "error-summary" in focused_class(page)
    link = summary.get_by_role("link", name=reasons_error)
    assert link.get_attribute("href") == "#refuse-reasons"
    beside = page.locator("#refuse-reasons_error")
    assert reasons_error in beside.inner_text()
    assert_accessible(page)
    shoot(page, f"case-step-error-{language}")
    link.click()
    assert page.evaluate("document.activeElement.id") == "refuse-reasons"
    page.locator("#refuse-reasons").fill("经营场所不符合要求")
    page.locator("button[value=refuse]").click()
    page.wait_for_load_state()
    expect(page.get_by_text(re.compile(done)).first).to_be_visible()
    assert Case.objects.get(pk=case.pk).status == Status.REFUSED


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_refused_file_is_named_beside_the_file_input(page, live_server, setting, language):
    case = setting["case"]
    services.transition(
        case.pk, "return_for_correction", user=setting["staff"], reasons="请补充平面图"
    )
    sign_in(page, live_server, "citizen_e", language)
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    if language == "en":  # the material in English
        assert (
            page.locator("#id_material option").first.inner_text() == "Floor plan of the premises"
        )
    page.set_input_files(
        "#id_file", files=[{"name": "平面图.exe", "mimeType": "application/pdf", "buffer": b"MZ"}]
    )
    page.locator("#add-material button[type=submit]").click()
    page.wait_for_load_state()
    summary = page.locator("[data-error-summary]")
    assert "error-summary" in focused_class(page)
    assert summary.locator("a").first.get_attribute("href") == "#id_file"
    assert "平面图.exe" in page.locator("#id_file_error").inner_text()
    assert_accessible(page)
    shoot(page, f"case-file-error-{language}")
    assert not case.materials.exists()

"""A case in a real browser: a citizen applies online for a city-wide item (the portal sends it
to the city's online platform), the platform's desk accepts it, the competent department approves
and closes it, and the citizen rates the service — with axe-core on every page. Another district's
hall may record the same item at its counter."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from approvals.models import Case
from approvals.selectors import online_platform
from tests.approvals.factories import (
    ServiceItemFactory,
    UserFactory,
    department_staff,
    district_department,
    hall,
    make_resident_id,
    material,
    point_staff,
    put_on_list,
)
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def setting(transactional_db):
    shinan = district_department("370202")
    item = ServiceItemFactory(
        code="BROWSER-1", name="食品经营许可（仅销售预包装食品）", department=shinan
    )
    put_on_list(item, "city_wide")
    licence = material(item, "营业场所使用证明")
    promise = material(
        item, "食品安全承诺", source="commitment", commitment_text="本人承诺所提交的材料真实有效。"
    )
    material(item, "居民身份证", source="shared")
    laoshan = hall("370212")
    hall("370202")
    return {
        "item": item,
        "licence": licence,
        "promise": promise,
        "laoshan": laoshan,
        "citizen": UserFactory(
            username="citizen_b", real_name="王小明", resident_id=make_resident_id(1)
        ),
        "hall_staff": point_staff(laoshan, "laoshan_b"),
        "online_desk": point_staff(online_platform(), "online_b"),
        "reviewer": department_staff(shinan, "shinan_b"),
    }


def sign_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_password-username").fill(username)
    page.locator("#id_password-password").fill("correct-horse-battery")
    page.locator("#password-signin button[type=submit]").click()
    page.wait_for_load_state()


def take(page, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_text(re.compile("已完成")).first).to_be_visible()


def test_apply_approve_and_rate(page, live_server, setting):
    item = setting["item"]
    sign_in(page, live_server, "citizen_b")
    page.goto(f"{live_server.url}/cases/apply/{item.code}/")
    expect(page.get_by_role("heading", name=re.compile("网上申请"))).to_be_visible()
    expect(page.get_by_text("居民身份证")).to_be_visible()  # shared data: nothing to upload
    assert_accessible(page)
    page.get_by_label("申请人名称").fill("王小明")
    page.get_by_label("证件号码").fill(make_resident_id(1))
    # nothing to pick: the city-wide item goes to the city's online platform, and the page says so
    assert "全市通办" in page.locator(".acceptance-choice").inner_text()
    page.set_input_files(
        f"#id_material_{setting['licence'].pk}",
        files=[{"name": "场所证明.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.get_by_label("本人承诺所提交的材料真实有效。").check()
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r"/cases/QD\d{8}-\d{6}/$"))
    case = Case.objects.get()
    expect(page.get_by_role("heading", name=f"办件 {case.reference}")).to_be_visible()
    assert page.locator("#case-status").inner_text() == "已提交"
    assert_accessible(page)
    page.goto(f"{live_server.url}/cases/")
    expect(page.get_by_role("link", name=case.reference)).to_be_visible()
    assert_accessible(page)

    sign_in(page, live_server, "laoshan_b")
    page.goto(f"{live_server.url}/cases/staff/walk-in/?item={item.code}")
    expect(page.get_by_role("button", name="登记申请")).to_be_visible()  # city-wide: any QD hall
    assert_accessible(page)

    sign_in(page, live_server, "online_b")
    page.goto(f"{live_server.url}/cases/staff/?scope=point")
    assert_accessible(page)
    page.get_by_role("link", name=case.reference).click()
    assert page.get_by_role("button", name="准予许可").count() == 0  # not the desk's to take
    take(page, "受理")
    assert_accessible(page)

    sign_in(page, live_server, "shinan_b")
    page.goto(f"{live_server.url}/cases/staff/")
    page.get_by_role("link", name=case.reference).click()
    for label in ("开始审查", "准予许可", "出具办理结果", "确认送达", "办结"):
        take(page, label)
    assert page.locator("#case-status").inner_text() == "已办结"
    assert_accessible(page)

    sign_in(page, live_server, "citizen_b")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    expect(page.get_by_role("link", name="许可决定书（PDF）")).to_be_visible()
    page.locator(".rating-form input[value='5']").check()
    page.locator(".rating-form textarea").fill("跨区也能办，很方便")
    assert_accessible(page)
    page.locator(".rating-form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#rating")).to_be_visible()
    assert "跨区也能办" in page.locator("#rating").inner_text()
    timeline = page.locator("#timeline li")
    assert timeline.count() == 7
    assert_accessible(page)

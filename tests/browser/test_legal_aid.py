"""Legal aid in a real browser: a worker owed wages applies in five steps (a wrong file is
refused, nothing else lost), the Laixi centre reviews (asks once for a document, grants, assigns
a lawyer) — with axe-core on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from legal_aid import reference
from legal_aid.models import Centre, Lawyer, LegalAidApplication, StaffMembership
from portal.accounts.models import Role
from tests.browser.conftest import assert_accessible
from tests.factories import DepartmentFactory, UserFactory, make_resident_id

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def setting(transactional_db):
    reference.load()
    Centre.objects.update(department=DepartmentFactory(code="SFJ-B", name="青岛市司法局"))
    citizen = UserFactory(
        username="la_worker",
        real_name="王建国",
        mobile="13969008888",
        resident_id=make_resident_id(5, "370202", "19800101"),
    )
    staff = UserFactory(username="la_laixi", role=Role.LEGAL_AID_STAFF, real_name="莱西工作人员")
    StaffMembership.objects.create(user=staff, centre=Centre.objects.get(code="LA370285"))
    lawyer = Lawyer.objects.create(
        centre=Centre.objects.get(code="LA370285"),
        name="孙律师",
        licence_number="13702201810000777",
        firm="山东德衡律师事务所",
    )
    return {"citizen": citizen, "staff": staff, "lawyer": lawyer}


def sign_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_password-username").fill(username)
    page.locator("#id_password-password").fill("correct-horse-battery")
    page.locator("#password-signin button[type=submit]").click()
    page.wait_for_load_state()


def save_and_continue(page) -> None:
    page.get_by_role("button", name="保存并继续").click()
    page.wait_for_load_state()


def apply(page, live_server) -> LegalAidApplication:
    sign_in(page, live_server, "la_worker")
    page.goto(f"{live_server.url}/legal-aid/")
    assert_accessible(page)
    page.get_by_role("link", name="申请法律援助").first.click()
    page.wait_for_load_state()

    # step 1: the applicant (pre-filled from the account)
    expect(page.get_by_role("heading", name=re.compile("第1步"))).to_be_visible()
    assert page.get_by_label(re.compile(r"^姓名")).input_value() == "王建国"
    page.get_by_label(re.compile(r"^居住的区")).select_option("370202")
    assert_accessible(page)
    save_and_continue(page)

    # step 2: the matter, before the Laixi court; missing facts are reported on the field
    page.get_by_label("诉讼事项（法院或办案机关）").check()
    page.get_by_label(re.compile(r"^案件类别")).select_option("labour")
    page.get_by_label(re.compile(r"^法院或办案机关")).select_option("C370285")
    save_and_continue(page)
    expect(page.locator(".field-error").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label(re.compile(r"^案情及请求事项")).fill("在莱西工地干了半年，被拖欠工资两万元。")
    save_and_continue(page)

    # step 3: the exemption and the commitment
    page.get_by_label("申请支付劳动报酬或者请求工伤事故人身损害赔偿的进城务工人员").check()
    page.get_by_label(re.compile("本人承诺")).check()
    assert_accessible(page)
    save_and_continue(page)

    # step 4: a wrong file is refused with a clear message; a PDF is accepted
    page.get_by_label(re.compile(r"^文件")).set_input_files(
        {"name": "wages.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90\x00"}
    )
    page.get_by_role("button", name="上传").click()
    page.wait_for_load_state()
    # beside the field, and linked from the error summary at the top
    expect(
        page.locator(".error", has_text=re.compile("不是PDF、JPG或PNG格式")).first
    ).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("不是PDF、JPG或PNG格式"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label(re.compile(r"^材料名称")).fill("工资欠条")
    page.get_by_label(re.compile(r"^文件")).set_input_files(
        {"name": "iou.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="上传").click()
    page.wait_for_load_state()
    expect(page.locator("#evidence-list").get_by_text(re.compile("工资欠条"))).to_be_visible()
    page.get_by_role("link", name="继续，核对信息").click()
    page.wait_for_load_state()

    # step 5: the competent centre and the reason, then submit
    assert page.locator("#competent-centre").inner_text() == "莱西市法律援助中心"
    assert "莱西市人民法院" in page.locator("#routing-reason").inner_text()
    expect(page.get_by_text("王建国").first).to_be_visible()  # earlier answers kept
    assert_accessible(page)
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name=re.compile("法律援助申请 FY"))).to_be_visible()
    assert page.locator("#state").inner_text() == "已提交"
    assert_accessible(page)
    return LegalAidApplication.objects.get()


def staff_step(page, button: str, fill=None) -> None:
    page.locator("#actions").get_by_role("link", name=button).click()
    page.wait_for_load_state()
    assert_accessible(page)
    if fill:
        fill(page)
    page.locator("main form").get_by_role("button", name=button).click()
    page.wait_for_load_state()
    expect(page.get_by_text(re.compile("已完成")).first).to_be_visible()


def test_apply_in_steps_and_review(page, live_server, setting):
    app = apply(page, live_server)
    assert app.competent_centre.code == "LA370285"

    sign_in(page, live_server, "la_laixi")
    page.goto(f"{live_server.url}/legal-aid/staff/")
    expect(page.get_by_role("link", name=app.reference)).to_be_visible()
    assert app.resident_id not in page.content()  # masked in the list
    assert_accessible(page)
    page.get_by_role("link", name=app.reference).click()
    page.wait_for_load_state()
    assert_accessible(page)

    staff_step(page, "开始审查")
    staff_step(
        page,
        "一次性告知补充材料",
        lambda p: p.get_by_label(re.compile(r"^需要补充的全部材料")).fill("劳动合同\n考勤记录"),
    )

    # the applicant supplies the document
    sign_in(page, live_server, "la_worker")
    page.goto(f"{live_server.url}/legal-aid/my/{app.reference}/")
    expect(page.get_by_text("考勤记录").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label(re.compile(r"^材料名称")).fill("劳动合同")
    page.get_by_label(re.compile(r"^文件")).set_input_files(
        {"name": "contract.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="上传").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="提交补充材料").click()
    page.wait_for_load_state()
    assert page.locator("#state").inner_text() == "审查中"

    # staff grant and assign the lawyer; the request button is gone (asked once)
    sign_in(page, live_server, "la_laixi")
    page.goto(f"{live_server.url}/legal-aid/staff/{app.reference}/")
    assert page.locator("#actions").get_by_role("link", name="一次性告知补充材料").count() == 0
    staff_step(page, "决定给予法律援助")
    staff_step(
        page,
        "指派律师",
        lambda p: p.get_by_label(re.compile(r"^律师")).select_option(str(setting["lawyer"].pk)),
    )
    assert page.locator("#state").inner_text() == "已指派律师"
    app.refresh_from_db()
    assert app.lawyer == setting["lawyer"]


def test_eligibility_check_without_an_account(page, live_server, setting):
    page.goto(f"{live_server.url}/legal-aid/check/")
    assert_accessible(page)
    page.get_by_label("诉讼事项（法院或办案机关）").check()
    page.get_by_label(re.compile(r"^事项类别")).select_option("labour")
    page.get_by_label(re.compile(r"^处理案件的法院或机关")).select_option("C370285")
    page.get_by_label("申请支付劳动报酬或者请求工伤事故人身损害赔偿的进城务工人员").check()
    page.get_by_role("button", name="自测").click()
    page.wait_for_load_state()
    result = page.locator("#result")
    assert "您可以申请" in result.inner_text()
    assert "莱西市法律援助中心" in result.inner_text()
    assert_accessible(page)

"""Issue 18 in a real browser (Chinese, then English), axe-core on every page: a 12348 call is
taken by the duty lawyer and recorded with them; the caller answers the SMS survey without
signing in; the caller applies from the call; the centre grants; the rota offers the case to
the lawyer, who accepts and starts work; the centre closes it; the applicant rates it; the
survey answer is in the statistics."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from legal_aid import reference
from legal_aid.models import (
    Centre,
    Consultation,
    DutyRota,
    Lawyer,
    LegalAidApplication,
    RotaEntry,
    StaffMembership,
)
from portal.accounts.models import Role
from portal.notifications.models import Notification
from tests.browser.conftest import assert_accessible, switch_language
from tests.browser.test_legal_aid import save_and_continue, sign_in
from tests.factories import DepartmentFactory, UserFactory, make_resident_id

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def act(page, step: str, fill=None) -> None:
    """Take a workflow step on the staff page by its name (the labels' wording may change)."""
    page.locator(f"#actions a[href$='/{step}/']").click()
    page.wait_for_load_state()
    assert_accessible(page)
    if fill:
        fill(page)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    expect(page.locator("#state")).to_be_visible()


@pytest.fixture
def setting(transactional_db):
    reference.load()
    Centre.objects.update(department=DepartmentFactory(code="SFJ-R", name="青岛市司法局"))
    laixi = Centre.objects.get(code="LA370285")
    UserFactory(
        username="la_caller",
        real_name="王建国",
        mobile="13969008888",
        resident_id=make_resident_id(5, "370202", "19800101"),
    )
    staff = UserFactory(username="la_laixi", role=Role.LEGAL_AID_STAFF, real_name="莱西工作人员")
    StaffMembership.objects.create(user=staff, centre=laixi)
    account = UserFactory(username="la_duty", real_name="孙律师")
    lawyer = Lawyer.objects.create(
        centre=laixi,
        name="孙律师",
        licence_number="13702201810000778",
        firm="山东德衡律师事务所",
        user=account,
        hotline_duty=True,
        categories=["labour"],
    )
    for kind in ("hotline", "cases"):
        rota = DutyRota.objects.create(name=f"莱西{kind}", kind=kind, centre=laixi)
        RotaEntry.objects.create(rota=rota, lawyer=lawyer)
    return {"lawyer": lawyer}


def test_call_survey_application_allocation_and_rating(page, live_server, setting):
    url = live_server.url
    # the duty lawyer takes the call and records it
    sign_in(page, live_server, "la_duty")
    page.goto(f"{url}/legal-aid/staff/consultations/")
    assert_accessible(page)
    page.get_by_label(re.compile(r"^来电人姓名")).fill("王建国")
    page.get_by_label(re.compile(r"^来电号码")).fill("13969008888")
    page.get_by_label(re.compile(r"^咨询类别")).select_option("legal_aid")
    page.get_by_label(re.compile(r"^法律援助案件类别")).select_option("labour")
    page.get_by_label(re.compile(r"^咨询问题")).fill("在莱西的工地干了半年，老板拖欠工资两万元。")
    page.get_by_label(re.compile(r"^解答内容")).fill("农民工讨薪可以申请法律援助。")
    page.get_by_label(re.compile(r"^通话时长")).fill("360")
    page.get_by_label(re.compile("发送申请链接")).check()
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_load_state()
    call = Consultation.objects.get()
    assert call.duty_lawyer == setting["lawyer"]
    expect(page.locator("tbody").get_by_text("孙律师").first).to_be_visible()
    assert_accessible(page)

    # the caller answers the survey from the SMS link, not signed in
    sms = Notification.objects.get(key=f"legal_aid:call_survey:{call.reference}")
    page.context.clear_cookies()
    page.goto(url + sms.link)
    assert_accessible(page)
    page.get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="提交").click()
    page.wait_for_load_state()
    expect(page.locator("#survey-thanks")).to_be_visible()
    assert_accessible(page)

    # the caller applies from the call (the form is filled in from it)
    sign_in(page, live_server, "la_caller")
    page.goto(f"{url}/legal-aid/consultations/{call.reference}/apply/")
    assert_accessible(page)
    page.get_by_role("button", name="用以上信息开始申请").click()
    page.wait_for_load_state()
    page.get_by_label(re.compile(r"^居住的区")).select_option("370202")
    save_and_continue(page)
    page.get_by_label("诉讼事项（法院或办案机关）").check()
    assert page.get_by_label(re.compile(r"^案件类别")).input_value() == "labour"
    page.get_by_label(re.compile(r"^法院或办案机关")).select_option("C370285")
    save_and_continue(page)
    page.get_by_label("申请支付劳动报酬或者请求工伤事故人身损害赔偿的进城务工人员").check()
    page.get_by_label(re.compile("本人承诺")).check()
    save_and_continue(page)
    page.get_by_role("link", name="继续，核对信息").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_load_state()
    app = LegalAidApplication.objects.get()
    assert app.consultation == call
    assert "免予核查经济困难状况" in page.locator("#hardship-result").inner_text()
    assert_accessible(page)

    # the centre grants; the rota offers the case to the lawyer
    sign_in(page, live_server, "la_laixi")
    page.goto(f"{url}/legal-aid/staff/{app.reference}/")
    act(page, "start_review")
    act(page, "grant")
    assert "孙律师" in page.locator("main").inner_text()

    # the lawyer accepts and starts work
    sign_in(page, live_server, "la_duty")
    page.goto(f"{url}/legal-aid/lawyer/")
    expect(page.locator(f"#offer-{app.reference}")).to_be_visible()
    assert_accessible(page)
    page.locator(f"#offer-{app.reference}").get_by_role("button", name="接受指派").click()
    page.wait_for_load_state()
    expect(page.locator(f"#case-{app.reference}")).to_be_visible()
    page.locator(f"#case-{app.reference}").get_by_role("button", name="开始办理").click()
    page.wait_for_load_state()
    assert_accessible(page)
    app.refresh_from_db()
    assert (app.state, app.lawyer) == ("in_progress", setting["lawyer"])

    # the English page of the lawyer is whole
    switch_language(page, "en")
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="My legal-aid cases")).to_be_visible()
    assert_accessible(page)
    switch_language(page, "zh-hans")
    page.wait_for_load_state()

    # the centre closes the case
    sign_in(page, live_server, "la_laixi")
    page.goto(f"{url}/legal-aid/staff/{app.reference}/")
    act(page, "close", lambda p: p.locator("select[name=outcome]").select_option("won"))
    app.refresh_from_db()
    assert app.state == "closed"

    # the applicant rates it
    sign_in(page, live_server, "la_caller")
    page.goto(f"{url}/legal-aid/my/{app.reference}/")
    page.locator("#rating input[name=score][value='5']").check()
    page.locator("#rating button[type=submit]").click()
    page.wait_for_load_state()
    app.refresh_from_db()
    assert app.state == "rated"
    assert_accessible(page)

    # the survey answer is in the statistics, in Chinese and in English
    sign_in(page, live_server, "la_laixi")
    page.goto(f"{url}/legal-aid/statistics/")
    assert "答复1条" in page.locator("#survey-summary").inner_text()
    assert_accessible(page)
    switch_language(page, "en")
    page.wait_for_load_state()
    assert "1 answered" in page.locator("#survey-summary").inner_text()
    assert_accessible(page)

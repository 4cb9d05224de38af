"""Sign in, profile, inbox and rating statistics in a real browser, checked with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from portal.notifications import services as notifications
from portal.notifications.models import Notification
from portal.ratings import services as ratings
from tests.browser.conftest import assert_accessible, switch_language
from tests.factories import ServiceItemFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_sign_in_with_a_code_then_profile_and_inbox(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    page.get_by_role("textbox", name="手机号码", exact=True).fill("13700000123")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_text("验证码已发送至 137****0123")).to_be_visible()
    body = Notification.objects.filter(address="13700000123").latest("id").body
    code = re.search(r"\d{6}", body).group(0)
    page.get_by_role("textbox", name="验证码", exact=True).fill(code)
    page.locator("#code-signin").get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/accounts/profile/")
    assert_accessible(page)
    page.get_by_label("真实姓名").fill("周明")
    page.get_by_label("公民身份号码").fill("110105194912310021")
    page.get_by_role("button", name="保存").click()
    # beside the field, and linked from the error summary at the top
    expect(page.locator(".error", has_text="公民身份号码的校验码不正确。").first).to_be_visible()
    expect(page.get_by_role("link", name="公民身份号码的校验码不正确。")).to_be_visible()
    assert_accessible(page)

    from portal.accounts.models import User

    user = User.objects.get(mobile="13700000123")
    notifications.send(
        channel="inbox",
        recipient=user,
        subject="您的办件已办结",
        link="/ratings/",
        key="core_services:28",
        body="正文",
    )
    page.goto(f"{live_server.url}/inbox/")
    assert page.locator("#unread-count").inner_text() == "1 条未读消息"
    expect(page.get_by_role("link", name="消息 1 条未读消息")).to_be_visible()  # the header badge
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^标为已读")).click()
    expect(page.get_by_text("0 条未读消息")).to_be_visible()


def test_password_sign_in_in_english(page, live_server):
    UserFactory(username="wang", mobile="13600000077")
    page.goto(f"{live_server.url}/accounts/login/")
    switch_language(page, "en")
    assert_accessible(page)
    page.get_by_label("Username or mobile number").fill("13600000077")
    page.locator("#id_password-password").fill("correct-horse-battery")
    page.locator("#password-signin").get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    switch_language(page, "zh-hans")


def test_rating_statistics_page(page, live_server):
    item = ServiceItemFactory(name="企业开办登记")
    user = UserFactory()
    for score in (5, 4, 2):
        ratings.rate(
            subject=UserFactory(), user=user, score=score, department=item.department, item=item
        )
    page.goto(f"{live_server.url}/ratings/")
    expect(page.get_by_role("heading", name="好差评", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="66.7%").first).to_be_visible()
    assert_accessible(page)

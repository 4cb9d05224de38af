"""The citizen's way through the catalogue in a real browser: home → search "社保" → an item →
the list pages, in Chinese and then in English (switched with the header's language switcher),
with axe-core on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.catalogue import demo
from tests.browser.conftest import assert_accessible, switch_language

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def catalogue(transactional_db):
    demo.load()


def test_home_search_item_and_lists_in_chinese_then_english(page, live_server, catalogue):
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="热门服务")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("搜索服务事项").fill("社保")
    page.get_by_role("button", name="搜索", exact=True).click()
    page.wait_for_url(re.compile(r"/search/\?q="))
    expect(page.get_by_role("heading", name="“社保”的搜索结果")).to_be_visible()
    expect(page.get_by_text(re.compile(r"找到 \d+ 个事项"))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="社会保险参保证明打印").first.click()  # the service (ADR 0121)
    expect(page.get_by_role("heading", name="社会保险参保证明打印", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="选择您所在的区（市）")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="青岛市人力资源和社会保障局").click()  # its implementation
    expect(page.get_by_role("heading", name="社会保险参保证明打印", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="申请材料")).to_be_visible()
    expect(page.get_by_role("heading", name="在哪里办")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/lists/")
    assert_accessible(page)
    page.get_by_role("link", name="胶东经济圈区域通办事项清单").click()
    expect(page.get_by_text("清单共 40 个事项")).to_be_visible()
    expect(page.get_by_role("heading", name="参与城市")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="逐项查看全部纳入和调出记录").click()
    expect(page.get_by_role("heading", name=re.compile("调整记录"))).to_be_visible()
    assert_accessible(page)

    # The same way in English.
    page.goto(f"{live_server.url}/")
    switch_language(page, "en")
    expect(page.get_by_role("heading", name="Popular services")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Search for a service").fill("社保")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="Search results for “社保”")).to_be_visible()
    assert_accessible(page)
    page.get_by_role(
        "link", name="Printing of the social insurance enrolment certificate"
    ).first.click()
    expect(page.get_by_role("heading", name="Choose your district")).to_be_visible()
    page.get_by_role("link", name="Qingdao Human Resources and Social Security Bureau").click()
    expect(page.get_by_role("heading", name="Materials")).to_be_visible()
    expect(page.get_by_role("heading", name="Where you can apply")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/lists/city_wide/")
    expect(page.get_by_text("699 items on the list")).to_be_visible()
    expect(page.get_by_role("heading", name="History of the list")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/lists/")
    expect(page.get_by_role("link", name="Town/street nearby-handling list")).to_be_visible()
    assert_accessible(page)
    switch_language(page, "zh-hans")


def test_choose_your_district_in_chinese_english_and_without_script(
    page, browser, live_server, catalogue
):
    """结婚 is one result; its page's form opens the chosen district's implementation, in
    Chinese and in English, and with script turned off too (ADR 0121)."""
    page.goto(f"{live_server.url}/search/?q=结婚")
    page.get_by_role("link", name="内地居民结婚登记", exact=True).first.click()
    expect(page.get_by_role("heading", name="内地居民结婚登记", level=1)).to_be_visible()
    expect(page.get_by_text("《婚姻登记条例》")).to_be_visible()
    assert page.get_by_role("row").count() == 12  # the heading row and eleven departments
    assert_accessible(page)
    service_url = page.url
    page.get_by_label("您所在的区（市）", exact=True).select_option(label="崂山区")
    page.get_by_role("button", name="查看本区（市）办理方式").click()
    page.wait_for_url(re.compile(r"/items/\w{28}/$"))
    expect(page.get_by_role("heading", name="内地居民结婚登记", level=1)).to_be_visible()
    expect(page.get_by_text(re.compile("（崂山区）的实施清单"))).to_be_visible()
    expect(page.get_by_role("heading", name="其他区（市）的同一事项")).to_be_visible()
    assert_accessible(page)

    switch_language(page, "en")
    page.goto(service_url)
    expect(page.get_by_role("heading", name="Choose your district")).to_be_visible()
    expect(page.get_by_text("Regulations on Marriage Registration")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your district or county-level city", exact=True).select_option(
        label="Pingdu"
    )
    page.get_by_role("button", name="Show how my district handles it").click()
    page.wait_for_url(re.compile(r"/items/\w{28}/$"))
    expect(page.get_by_text(re.compile(r"\(Pingdu\) handles it\."))).to_be_visible()
    expect(page.get_by_role("heading", name="The same service in other districts")).to_be_visible()
    assert_accessible(page)
    switch_language(page, "zh-hans")

    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    plain = context.new_page()
    plain.goto(service_url)
    plain.get_by_label("您所在的区（市）", exact=True).select_option(label="黄岛区")
    plain.get_by_role("button", name="查看本区（市）办理方式").click()
    plain.wait_for_url(re.compile(r"/items/\w{28}/$"))
    expect(plain.get_by_text(re.compile("（黄岛区）的实施清单"))).to_be_visible()
    context.close()

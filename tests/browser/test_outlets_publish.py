"""Issue 14 point 1 in a real browser: an outlet manager publishes a change today while next
year's list is already scheduled. The preview compares with the list public today and shows the
scheduled version and what becomes of it; publishing without confirming it is refused; after
confirming, the public sees exactly today's list plus the change, and next year's list carries it
too. In Chinese and English, with axe-core on every page; the English pages name the item in
English (its ``name_en``, issue 14 point 9) and the Chinese pages in Chinese."""

from __future__ import annotations

import datetime
import re
from importlib import import_module

import pytest

from outlets import selectors
from tests.browser.conftest import assert_accessible, switch_language
from tests.outlets.factories import (
    ManagerFactory,
    OutletFactory,
    SelfServiceItemFactory,
    TerminalFactory,
    bind,
    publish_items,
)

pytestmark = pytest.mark.django_db(transaction=True)

NEW_ITEM = "不动产登记信息查询打印"
NEW_ITEM_EN = "Real estate registration information printing"
#: The item's name as each page shows it, and the name it must not show.
ITEM_NAMES = {"zh-hans": (NEW_ITEM, NEW_ITEM_EN), "en": (NEW_ITEM_EN, NEW_ITEM)}

TEXT = {
    "zh-hans": {
        "compared": "比较对象为 {today} 公开的清单：版本 2",
        "scheduled": "版本 3，自 {future} 起生效",
        "carried": "您的变更将同步纳入该版本",
        "publish": "发布，自 {today} 起生效",
        "refused": "请逐一确认本次发布将取代的待生效版本",
        "confirm": "撤回定于 {future} 生效的版本 3",
        "published": "版本 4 已发布",
        "replaced": "由纳入您变更的版本 5 取代",
        "withdrawn": "已撤回",
    },
    "en": {
        "compared": "Compared with the list the public sees on {today}: version 2",
        "scheduled": "Version 3, in effect from {future}",
        "carried": "Your changes are carried into it",
        "publish": "Publish for {today}",
        "refused": "Confirm what happens to each scheduled version",
        "confirm": "Version 3, scheduled for {future}, is withdrawn",
        "published": "Version 4 published",
        "replaced": "version 5 takes its place with your changes",
        "withdrawn": "withdrawn",
    },
}


def _ensure_regions() -> None:
    from django.apps import apps

    from portal.catalogue.models import Region

    if not Region.objects.filter(code="370202").exists():
        import_module("portal.catalogue.migrations.0002_regions").load_regions(apps, None)


@pytest.fixture
def scheduled_outlet(transactional_db):
    """v1 and v2 public, v3 scheduled in a month with ten more items."""
    _ensure_regions()
    today = datetime.date.today()
    outlet = OutletFactory(code="QD-RCB-001", name="青岛农商银行市南八大峡支行")
    TerminalFactory(outlet=outlet, code="QD-RCB-001-T1")
    current = [SelfServiceItemFactory(code=f"QD-CONV-{n:04d}") for n in range(1, 9)]
    next_year = [SelfServiceItemFactory(code=f"QD-NEXT-{n:04d}") for n in range(1, 11)]
    SelfServiceItemFactory(
        code="QD-CONV-0100", name=NEW_ITEM, name_en=NEW_ITEM_EN, domain="real_estate"
    )
    manager = ManagerFactory(username="outlet_manager", real_name="王晓燕")
    bind(manager, outlet)
    publish_items(outlet, current[:6], user=manager, effective=today - datetime.timedelta(200))
    publish_items(outlet, current, user=manager, effective=today - datetime.timedelta(30))
    future = today + datetime.timedelta(30)
    publish_items(outlet, current + next_year, user=manager, effective=future)
    return outlet, today, future


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_manager_publishes_today_while_next_years_list_is_scheduled(
    page, live_server, scheduled_outlet, language
):
    outlet, today, future = scheduled_outlet
    words = {k: v.format(today=today, future=future) for k, v in TEXT[language].items()}
    item_name, other_name = ITEM_NAMES[language]
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_password-username").fill("outlet_manager")
    page.locator("#id_password-password").fill("correct-horse-battery")
    page.locator("#password-signin button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/outlets/manage/{outlet.code}/")
    if language == "en":
        switch_language(page, "en")
        page.wait_for_load_state()

    # the manager adds one item to the draft (which starts from the scheduled list)
    search = page.locator("#catalogue-search")
    search.fill("不动产")
    search.press("Enter")
    add = page.get_by_role("button", name=re.compile(re.escape(item_name)))
    add.wait_for()
    assert other_name not in page.locator("#search-results").inner_text()
    add.click()
    page.wait_for_load_state()
    assert item_name in page.locator("#draft-items").inner_text()
    assert other_name not in page.locator("#draft-items").inner_text()

    page.goto(f"{live_server.url}/outlets/manage/{outlet.code}/preview/")
    assert words["compared"] in page.locator("#compared-with").inner_text()
    assert page.locator(".diff-added").inner_text().count("QD-") == 1
    assert item_name in page.locator(".diff-added").inner_text()
    assert other_name not in page.locator("main").inner_text()
    scheduled = page.locator("#scheduled-3")
    assert words["scheduled"] in scheduled.inner_text()
    assert words["carried"] in scheduled.inner_text()
    assert_accessible(page)

    # publishing without confirming what happens to version 3: refused, nothing published
    page.get_by_role("button", name=words["publish"]).click()
    page.wait_for_load_state()
    assert words["refused"] in page.locator("#confirm-scheduled").inner_text()
    assert selectors.version_in_effect(outlet, today).number == 2
    assert_accessible(page)

    page.get_by_label(re.compile(re.escape(words["confirm"]))).check()
    page.get_by_role("button", name=words["publish"]).click()
    page.wait_for_url(re.compile(r"/history/$"))
    assert words["published"] in page.locator("main, body").first.inner_text()
    assert words["replaced"] in page.locator("main, body").first.inner_text()
    assert words["withdrawn"] in page.locator("#version-3").inner_text()
    assert_accessible(page)

    # today: exactly v2 and the new item; on v3's date: next year's list and the new item
    codes = set(
        selectors.version_in_effect(outlet, today).entries.values_list("item__code", flat=True)
    )
    assert codes == {f"QD-CONV-{n:04d}" for n in range(1, 9)} | {"QD-CONV-0100"}
    later = selectors.version_in_effect(outlet, future)
    assert later.number == 5 and later.entries.count() == 19
    page.goto(f"{live_server.url}/outlets/{outlet.code}/")
    assert page.locator("tr#item-QD-CONV-0100").count() == 1
    assert page.locator("tr#item-QD-NEXT-0001").count() == 0

"""Self-service outlets in a real browser, with axe-core on every page: the finder (district
choice without JavaScript, then "use my location"), an outlet page, and a manager's publish
flow (search the catalogue, add an item, limit it to a terminal, preview, publish, history)."""

from __future__ import annotations

import re
from importlib import import_module

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.factories import region
from tests.outlets.factories import (
    BankOutletFactory,
    ManagerFactory,
    OutletFactory,
    SelfServiceItemFactory,
    TerminalFactory,
    bind,
    publish_items,
    weekday_hours,
)

# No serialized rollback: restoring the serialized rows after a flush collides with the role
# groups that post_migrate re-creates; the regions this module needs are re-loaded instead.
pytestmark = pytest.mark.django_db(transaction=True)

CERT = "社会保险参保证明打印"


def _ensure_regions() -> None:
    """The regions come from a data migration: a flush by an earlier transactional test removes
    them."""
    from django.apps import apps

    from portal.catalogue.models import Region

    if not Region.objects.filter(code="370202").exists():
        import_module("portal.catalogue.migrations.0002_regions").load_regions(apps, None)


@pytest.fixture
def city(transactional_db):
    _ensure_regions()
    cert = SelfServiceItemFactory(code="QD-CONV-0001", name=CERT, popularity=100)
    fund = SelfServiceItemFactory(
        code="QD-CONV-0002", name="住房公积金缴存明细查询", domain="housing_fund"
    )
    deed = SelfServiceItemFactory(
        code="QD-CONV-0003", name="不动产登记信息查询打印", domain="real_estate"
    )
    shinan = OutletFactory(
        code="QD-GOV-002", name="市南区政务服务大厅", latitude=36.0707, longitude=120.4122,
        address="山东省青岛市市南区香港中路10号",
    )  # fmt: skip
    pingdu = OutletFactory(
        code="QD-GOV-010", name="平度市政务服务大厅", district=region("370283"),
        latitude=36.7869, longitude=119.96, address="山东省青岛市平度市红旗路5号",
    )  # fmt: skip
    bank = BankOutletFactory(
        code="QD-RCB-001", name="青岛农商银行市南八大峡支行", operator="rcb",
        latitude=36.06, longitude=120.31, address="山东省青岛市市南区闽江路8号",
    )  # fmt: skip
    for outlet in (shinan, pingdu, bank):
        # open every day of the week, weekends and holidays too, so "open now" holds whenever
        # the suite runs (a hall on the working-day calendar is closed on a Sunday)
        outlet.calendar, outlet.closed_on_holidays = "weekly", False
        outlet.save(update_fields=["calendar", "closed_on_holidays"])
        weekday_hours(outlet, days=range(7), sessions=(("00:00", "23:59"),))
    t1 = TerminalFactory(outlet=shinan, code="QD-GOV-002-T1", location="一楼大厅东侧")
    TerminalFactory(outlet=shinan, code="QD-GOV-002-T2", location="自助服务区")
    TerminalFactory(outlet=pingdu, code="QD-GOV-010-T1")
    TerminalFactory(outlet=bank, code="QD-RCB-001-T1")
    publish_items(shinan, [cert, fund], terminals={fund: [t1]})
    publish_items(pingdu, [cert])
    publish_items(bank, [fund])
    manager = ManagerFactory(username="outlet_b", real_name="王晓燕")
    bind(manager, shinan)
    return {"cert": cert, "deed": deed, "manager": manager}


def result_names(page) -> list[str]:
    return page.locator("#outlet-results h3 a").all_inner_texts()


def test_finder_by_district_then_by_my_location(page, live_server, city):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="自助服务网点").first.click()
    page.wait_for_url(re.compile(r"/outlets/$"))
    expect(page.get_by_role("heading", name="查找自助网点")).to_be_visible()
    assert_accessible(page)

    page.locator("#id_q").fill("参保证明")
    page.get_by_label("按距离排序的起点").select_option(label="平度市")
    page.get_by_role("button", name="查找网点").click()
    page.wait_for_url(re.compile(r"q="))
    expect(
        page.get_by_role("heading", name=re.compile("可办理“社会保险参保证明打印”的网点"))
    ).to_be_visible()
    assert result_names(page) == ["平度市政务服务大厅", "市南区政务服务大厅"]
    assert page.locator("#outlet-results .distance").first.inner_text().startswith("距离")
    assert_accessible(page)

    # the browser's location (granted) fills the hidden fields and sorts from there
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 36.07, "longitude": 120.41})
    page.get_by_role("button", name="使用我的位置").click()
    page.wait_for_url(re.compile(r"lat=36\.07"))
    assert result_names(page) == ["市南区政务服务大厅", "平度市政务服务大厅"]
    expect(page.get_by_text("从您的位置出发")).to_be_visible()
    assert_accessible(page)


def test_outlet_page_hours_terminals_and_list(page, live_server, city):
    page.goto(f"{live_server.url}/outlets/QD-GOV-002/")
    expect(page.get_by_role("heading", name="市南区政务服务大厅", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="开放时间")).to_be_visible()
    expect(page.get_by_text("营业中").first).to_be_visible()
    # the items are folded by domain: the visitor opens the domain of each row
    for row_id in ("item-QD-CONV-0002", "item-QD-CONV-0001"):
        group = page.locator(f"details:has(tr#{row_id})")
        if group.count() and not group.first.evaluate("d => d.open"):
            group.first.locator("summary").first.click()
    row = page.locator("tr#item-QD-CONV-0002")
    assert "QD-GOV-002-T1" in row.inner_text()
    assert "全部终端" in page.locator("tr#item-QD-CONV-0001").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载清单（PDF，可打印）").click()
    assert download.value.suggested_filename == "QD-GOV-002-items.pdf"
    assert_accessible(page)

    page.goto(f"{live_server.url}/outlets/all/")
    expect(page.get_by_role("heading", name="市级清单查阅")).to_be_visible()
    assert_accessible(page)


def test_manager_publishes_a_new_list(page, live_server, city):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_password-username").fill("outlet_b")
    page.locator("#id_password-password").fill("correct-horse-battery")
    page.locator("#password-signin button[type=submit]").click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/outlets/manage/")
    expect(page.get_by_role("heading", name="我的网点")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("编辑草稿")).first.click()
    expect(page.get_by_role("heading", name=re.compile("清单草稿"))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("searchbox", name="搜索事项目录").fill("不动产")
    page.get_by_role("button", name="搜索", exact=True).click()
    add = page.get_by_role("button", name=re.compile("添加.*不动产登记信息查询打印"))
    add.wait_for()
    assert_accessible(page)
    add.click()
    page.wait_for_load_state()
    expect(page.get_by_text("已将“不动产登记信息查询打印”加入草稿")).to_be_visible()

    page.get_by_role("link", name=re.compile("设置终端.*不动产登记信息查询打印")).click()
    page.get_by_label(re.compile("QD-GOV-002-T2")).check()
    assert_accessible(page)
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()

    page.get_by_role("link", name="预览并发布").first.click()
    expect(page.get_by_role("heading", name="新增")).to_be_visible()
    expect(page.locator(".diff-added").get_by_text("不动产登记信息查询打印")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("备注").fill("新增不动产查询")
    page.get_by_role("button", name=re.compile("^发布，自")).click()
    page.wait_for_url(re.compile(r"/history/$"))
    expect(page.get_by_text(re.compile("版本 2 已发布"))).to_be_visible()
    rows = page.locator("#versions tbody tr")
    assert rows.count() == 2 and "王晓燕" in rows.first.inner_text()
    assert_accessible(page)

    page.goto(f"{live_server.url}/outlets/QD-GOV-002/")
    assert "QD-GOV-002-T2" in page.locator("tr#item-QD-CONV-0003").text_content()

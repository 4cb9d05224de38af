"""The proactive path to its end in a real browser, against the project's courier server running
in its own process: staff approve → the certificate is issued → the order is placed once although
the courier answers 503 twice first → the courier collects the old certificate, carries and
delivers the new one, each time calling the portal's signed webhook → the case closes and the
rating is offered. The holder follows each step on the case page (axe-core checks each page)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from approvals.models import Case
from approvals.proactive import services
from approvals.proactive.models import Shipment
from portal.accounts.services import create_system_client
from tests.browser.conftest import assert_accessible
from tests.proactive.conftest import _fresh_cache, world  # noqa: F401 - fixtures
from tests.proactive.flow import confirmed_case
from tests.servers.courier import courier_server, dev_courier  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _as(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _tracking(page) -> str:
    return page.locator("#tracking").inner_text()


def test_issue_order_once_despite_503s_then_collect_deliver_close_and_rate(
    page,
    live_server,
    world,  # noqa: F811
    dev_courier,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    _client, key = create_system_client(name="dev courier", scopes=["courier:events"])
    dev_courier.configure(
        webhook_url=f"{live_server.url}/api/v1/approvals/courier/webhook/", api_key=key
    )
    from tests.proactive.conftest import system_client

    _offer, case = confirmed_case(
        world, system_client("licence_events:write"), django_capture_on_commit_callbacks
    )
    case_url = f"{live_server.url}/cases/{case.reference}/"

    # The holder: the case is with the department, nothing ordered yet, no tracking number.
    _as(page, live_server, world.rep_user)
    page.goto(case_url)
    assert page.locator("#shipment-status").inner_text() == "待向快递公司下单"
    assert page.locator("#tracking-number").inner_text() == "快递下单后由快递公司给出"
    assert_accessible(page)

    # Staff review and approve; the courier is down for the first two calls.
    dev_courier.fail(2)
    _as(page, live_server, world.staff)
    page.goto(case_url)
    page.get_by_role("button", name="开始审查", exact=True).click()
    page.get_by_role("button", name="准予许可", exact=True).click()
    page.wait_for_load_state()
    assert "确认送达" not in page.content()  # the courier's event delivers, not a button
    expect(page.get_by_role("button", name="当面交付（不经快递）")).to_be_visible()
    assert_accessible(page)
    shipment = Shipment.objects.get()
    assert shipment.status == "created" and shipment.order_error  # the first 503
    assert services.place_due_orders() == {"retry": 1}  # the second 503
    assert services.place_due_orders() == {"ordered": 1}
    assert services.place_due_orders() == {}  # nothing left to place
    assert dev_courier.order_calls() == 3
    orders = dev_courier.orders()
    assert len(orders) == 1, orders  # placed once
    shipment.refresh_from_db()
    assert shipment.tracking_number == orders[0]["tracking_number"]

    # The holder sees the order, the tracking number and what to prepare.
    _as(page, live_server, world.rep_user)
    page.goto(case_url)
    assert page.locator("#tracking-number").inner_text() == shipment.tracking_number
    assert "已向快递公司下单" in _tracking(page)
    expect(page.get_by_text(re.compile(r"请备好旧证 D237020001"))).to_be_visible()
    certificates = page.locator("#case-certificates")
    new_code = case.proactive_offers.get().new_certificate.verification_code
    expect(certificates.get_by_role("link", name=new_code)).to_be_visible()
    expect(certificates.get_by_role("link", name="证照（PDF）")).to_be_visible()
    assert_accessible(page)

    # The courier's events arrive through the signed webhook, one by one.
    for status, shown in (
        ("collected", "旧证已收回"),
        ("in_transit", "运送中"),
        ("delivered", "新证已送达"),
    ):
        answer = dev_courier.advance(orders[0]["order_id"], status)
        assert answer["webhook_status"] == 200, answer
        page.goto(case_url)
        assert shown in _tracking(page)
        assert shown in page.locator("#timeline").inner_text()  # the case's log too
    assert page.locator("#case-status").inner_text() == "已办结"
    assert page.locator("#shipment-status").inner_text() == "新证已送达"
    expect(page.get_by_role("heading", name="评价本次服务")).to_be_visible()
    expect(page.locator("form[action$='/rate/']")).to_be_visible()
    assert_accessible(page)
    assert Case.objects.get(pk=case.pk).status == "closed"
    assert dev_courier.order_calls() == 3  # still the one order

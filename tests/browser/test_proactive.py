"""Proactive approval in a real browser: the link from the offer → verify identity with the SMS
code → confirm the pre-filled application → choose the courier → the case is with staff; then
the public verification page of the certificate. axe-core checks every page."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from approvals.proactive import services
from approvals.proactive.events import parse_batch
from portal.notifications.models import Notification
from tests.browser.conftest import assert_accessible, switch_language
from tests.proactive.conftest import _fresh_cache, event, world  # noqa: F401 - fixtures
from tests.proactive.helpers import last_code

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def offer_link(world):  # noqa: F811
    events, bad = parse_batch([event(uscc=world.company.uscc)])
    assert not bad
    services.ingest_licence_events(events)  # commits: the offer is sent at once
    inbox = Notification.objects.get(recipient=world.rep_user, channel="inbox")
    return urlparse(inbox.link).path


def test_three_interactions(page, live_server, world, offer_link):  # noqa: F811
    page.goto(f"{live_server.url}{offer_link}")
    expect(page.get_by_role("heading", name="建筑企业资质简单变更", level=1)).to_be_visible()
    expect(page.get_by_text("第 1 步，共 3 步")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="发送验证码").click()
    expect(page.get_by_text(re.compile(r"验证码已发送至 139\*+0001"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label("短信验证码").fill(last_code("13953200001"))
    page.get_by_role("button", name="核验并继续").click()

    page.wait_for_url(re.compile(r"/application/$"))
    expect(page.get_by_text("第 2 步，共 3 步")).to_be_visible()
    expect(page.get_by_role("cell", name="李海峰")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="市场监管登记信息")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="申请信息无误，下一步").click()

    page.wait_for_url(re.compile(r"/delivery/$"))
    expect(page.get_by_text("第 3 步，共 3 步")).to_be_visible()
    assert page.get_by_label("快递地址").input_value() == world.company.address
    assert page.get_by_label("快递送达").is_checked()
    assert_accessible(page)
    page.get_by_label("快递地址").fill("")
    page.get_by_role("button", name="提交申请").click()
    # the summary names the problem and leads to the field
    page.get_by_role("alert").get_by_role("link", name="请填写快递上门的地址。").click()
    assert page.evaluate("document.activeElement.id") == "id_address"
    assert_accessible(page)
    page.get_by_label("快递地址").fill(world.company.address)
    page.get_by_role("button", name="提交申请").click()

    page.wait_for_url(re.compile(r"/done/(#.*)?$"))  # a redirect keeps the #fragment
    expect(page.get_by_text(re.compile(r"申请已提交。您的办件 QD\d+"))).to_be_visible()
    # the tracking number is the courier's, given once the certificate is issued and ordered
    expect(page.get_by_text("快递下单后由快递公司给出")).to_be_visible()
    assert_accessible(page)
    from approvals.models import Case

    assert Case.objects.get().status == "accepted"


def test_verification_page(page, live_server, world):  # noqa: F811
    page.goto(f"{live_server.url}/verify/{world.certificate.verification_code}/")
    expect(page.get_by_role("heading", name="证照核验")).to_be_visible()
    expect(page.get_by_role("strong").filter(has_text="有效")).to_be_visible()
    expect(page.get_by_text(world.company.name)).to_be_visible()
    assert page.get_by_text("王建国").count() == 0  # no personal data
    assert_accessible(page)
    page.goto(f"{live_server.url}/verify/NOSUCHCODE/")
    expect(page.get_by_text("可能是伪造")).to_be_visible()
    assert_accessible(page)


def test_dashboard_on_a_phone_in_english(page, live_server, world, offer_link):  # noqa: F811
    """The tables scroll sideways rather than squeezing the names to a letter a line."""
    from django.test import Client

    client = Client()
    client.force_login(world.staff)
    session = client.cookies["sessionid"].value
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page.goto(f"{live_server.url}/proactive/dashboard/")
    expect(page.get_by_role("heading", name="无感审批看板", level=1)).to_be_visible()
    name = page.get_by_role("rowheader", name=world.item.name)
    assert name.bounding_box()["width"] >= 150
    assert_accessible(page)
    switch_language(page, "en")
    expect(
        page.get_by_role("heading", name="Proactive approvals dashboard", level=1)
    ).to_be_visible()
    expect(page.get_by_text(re.compile(r"the light bar is the offers made"))).to_be_visible()
    assert_accessible(page)

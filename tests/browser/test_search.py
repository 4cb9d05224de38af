"""Search in a real browser (issue 17, ADR 0108): 结婚 is one row with its districts, a typo says
"您是不是要找" and shows the correction's results, English finds Chinese services; on a 390 px
phone too, with axe-core on every page."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from portal.catalogue import demo
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def catalogue(transactional_db):
    demo.load()


@pytest.mark.parametrize("width", [1280, 390])
def test_one_row_per_service_a_typo_and_english(page, live_server, catalogue, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/search/?q={quote('结婚')}")
    expect(page.get_by_text("找到 1 个事项")).to_be_visible()
    expect(page.get_by_text("在 11 个地区办理，请选择：")).to_be_visible()
    assert page.get_by_role("link", name="内地居民结婚登记").count() == 1
    assert_accessible(page)
    page.get_by_role("link", name="崂山区").click()
    expect(page.get_by_role("heading", name="内地居民结婚登记", level=1)).to_be_visible()
    expect(page.get_by_text(re.compile("崂山区")).first).to_be_visible()

    page.goto(f"{live_server.url}/search/?q={quote('社宝')}")
    expect(page.get_by_text("您是不是要找：")).to_be_visible()
    expect(page.get_by_role("link", name="社保", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="社会保障卡申领").first).to_be_visible()
    assert_accessible(page)
    no_sideways_scroll = page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert no_sideways_scroll

    page.goto(f"{live_server.url}/search/?q=passport")
    expect(page.get_by_role("link", name="普通护照签发")).to_be_visible()
    assert_accessible(page)

"""Charts drawn to scale (issue 14, point 7): every bar's length, measured in the browser, is its
figure's share of the largest — no bar is capped — in Chinese and English; the staff dashboards
send visitors to the portal's sign-in, not the admin's."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from legal_aid import reference
from legal_aid.models import LegalAidApplication
from portal.accounts.models import Role
from tests.browser.conftest import assert_accessible, switch_language
from tests.factories import DepartmentFactory, ServiceItemFactory, UserFactory
from tests.legal_aid import factories as f
from tests.proactive.conftest import event, market_client, world  # noqa: F401 - fixtures
from tests.proactive.factories import CertificateFactory, CompanyFactory
from tests.proactive.helpers import post_events

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

#: Applications per month: two months above 70 % of the largest, which a cap would draw alike.
MONTHS = {"2026-01": 5, "2026-02": 4, "2026-03": 2}


def sign_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_password-username").fill(username)
    page.locator("#id_password-password").fill("correct-horse-battery")
    page.locator("#password-signin button[type=submit]").click()
    page.wait_for_load_state()


def bar_shares(page, table: str) -> dict[str, float]:
    """Each row's bar as drawn: the filled length over the bar's full length, by row heading."""
    return page.evaluate(
        """(table) => Object.fromEntries([...document.querySelectorAll(table + ' tbody tr')].map(
            (tr) => {
                const svg = tr.querySelector('svg');
                const rect = svg.querySelector('rect');
                return [tr.querySelector('th').textContent.trim(),
                        rect.getBoundingClientRect().width / svg.getBoundingClientRect().width];
            }))""",
        table,
    )


def bar_figures(page, table: str) -> dict[str, int]:
    """Each row's figure, the number printed beside its bar."""
    return page.evaluate(
        """(table) => Object.fromEntries([...document.querySelectorAll(table + ' tbody tr')].map(
            (tr) => [tr.querySelector('th').textContent.trim(),
                     parseInt(tr.querySelector('svg').parentElement.textContent.trim(), 10)]))""",
        table,
    )


def assert_to_scale(
    drawn: dict[str, float], figures: dict[str, int], scale: int | None = None
) -> None:
    """Each bar is its figure over ``scale`` (by default the largest figure), within 1 %."""
    top = scale or max(figures.values())
    assert set(drawn) == set(figures)
    for name, value in figures.items():
        assert drawn[name] == pytest.approx(value / top, abs=0.01), (name, drawn)


def test_legal_aid_monthly_bars_match_the_data(page, live_server, transactional_db):
    reference.load()
    citizen = f.citizen()
    for month, count in MONTHS.items():
        # February's at the Shinan centre in another category: those charts have two bars each
        other = {"category": "maintenance", "body": f.body("C370202")} if month == "2026-02" else {}
        for _ in range(count):
            app = f.submit(citizen, **other)
            LegalAidApplication.objects.filter(pk=app.pk).update(month=month)
    UserFactory(username="la_admin", role=Role.ADMINISTRATOR)

    sign_in(page, live_server, "la_admin")
    page.goto(f"{live_server.url}/legal-aid/statistics/")
    expect(page.get_by_role("heading", name="法律援助统计", level=1)).to_be_visible()
    assert_to_scale(bar_shares(page, "table[aria-labelledby=by-month]"), MONTHS)
    # every other bar chart on the page (category, centre, hotline) against the figure it draws
    for table in ("by-category", "by-centre"):
        selector = f"table[aria-labelledby={table}]"
        figures = bar_figures(page, selector)
        assert sorted(figures.values()) == [4, 7], figures
        assert_to_scale(bar_shares(page, selector), figures)
    assert_accessible(page)
    switch_language(page, "en")
    expect(page.get_by_role("heading", name="Legal-aid statistics", level=1)).to_be_visible()
    assert_to_scale(bar_shares(page, "table[aria-labelledby=by-month]"), MONTHS)
    assert_accessible(page)


def test_staff_pages_send_visitors_to_the_portal_sign_in(page, live_server, transactional_db):
    for path in ("/proactive/dashboard/", "/legal-aid/statistics/", "/admin/"):
        page.context.clear_cookies()
        page.goto(f"{live_server.url}{path}")
        assert page.url == f"{live_server.url}/accounts/login/?next={path}", page.url
        assert_accessible(page)
    switch_language(page, "en")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    # the admin's own way in is the portal's sign-in, which leads back to the admin
    UserFactory(username="site_admin", is_staff=True, is_superuser=True)
    page.locator("#id_password-username").fill("site_admin")
    page.locator("#id_password-password").fill("correct-horse-battery")
    page.locator("#password-signin button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def test_proactive_dashboard_bars_match_the_data(page, live_server, world, market_client):  # noqa: F811
    """The funnel's bars are each status's share of the offers made, as the selector counts."""
    from django.test import Client

    from approvals.proactive import selectors

    for n in range(3):
        company = CompanyFactory()
        CertificateFactory(company=company, type=world.ctype)
        post_events(market_client, [event(f"E{n}", uscc=company.uscc)])
    data = selectors.dashboard()
    total = data["overall"]["total"]
    assert total == 3
    client = Client()
    client.force_login(world.staff)
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page.goto(f"{live_server.url}/proactive/dashboard/")
    funnel = {str(row["label"]): row["count"] for row in data["funnel"]}
    assert_to_scale(bar_shares(page, "table.chart"), funnel, scale=total)
    by_district = {row["company__district__name"]: row["total"] for row in data["by_district"]}
    assert_to_scale(
        bar_shares(page, "section[aria-labelledby=districts-heading] table"), by_district, total
    )
    assert_accessible(page)
    switch_language(page, "en")
    expect(
        page.get_by_role("heading", name="Proactive approvals dashboard", level=1)
    ).to_be_visible()
    drawn = bar_shares(page, "table.chart")
    assert sorted(drawn.values()) == pytest.approx(
        sorted(count / total for count in funnel.values()), abs=0.01
    )
    assert_accessible(page)


def test_ratings_bars_are_the_shares_they_state(page, live_server, transactional_db):
    """Good and bad bars are the shares printed beside them (of 100 %), also above 70 %."""
    from portal.ratings import services

    user = UserFactory()
    for name, scores in (("甲局", (5, 5, 5, 4, 1)), ("乙局", (1, 1, 1, 2, 5)), ("丙局", (3,))):
        department = DepartmentFactory(name=name, name_en=f"Bureau {name}")
        item = ServiceItemFactory(department=department)
        for score in scores:
            services.rate(
                subject=UserFactory(), user=user, score=score, department=department, item=item
            )
    expected = {"甲局": (0.8, 0.2), "乙局": (0.2, 0.8), "丙局": (0.0, 0.0)}

    def drawn() -> dict[str, list[float]]:
        return page.evaluate(
            """() => Object.fromEntries([...document.querySelectorAll(
                'table[aria-labelledby=by-department] tbody tr')].map((tr) => [
                    tr.querySelector('th').textContent.trim(),
                    [...tr.querySelectorAll('svg')].map((svg) =>
                        svg.querySelector('rect').getBoundingClientRect().width
                        / svg.getBoundingClientRect().width)]))"""
        )

    page.goto(f"{live_server.url}/ratings/")
    expect(page.get_by_role("heading", name="好差评", level=1)).to_be_visible()
    for name, shares in expected.items():
        assert drawn()[name] == pytest.approx(list(shares), abs=0.01), name
    assert_accessible(page)
    switch_language(page, "en")
    expect(page.get_by_role("heading", name="Service ratings", level=1)).to_be_visible()
    for name, shares in expected.items():
        assert drawn()[f"Bureau {name}"] == pytest.approx(list(shares), abs=0.01), name
    assert_accessible(page)

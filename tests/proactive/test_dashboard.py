"""The staff dashboard: counts by status, item and district, aggregated in SQL."""

from django.test import Client

from .conftest import event
from .factories import CertificateFactory, CompanyFactory
from .helpers import post_events


def test_dashboard_is_staff_only(world):
    """Visitors go to the portal's sign-in (never the admin's); a signed-in holder is refused
    rather than sent back to a sign-in page they have already passed (issue 14, point 7)."""
    response = Client().get("/proactive/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/proactive/dashboard/"
    client = Client()
    client.force_login(world.rep_user)
    assert client.get("/proactive/dashboard/").status_code == 403


def test_dashboard_counts_with_a_fixed_number_of_queries(
    world, market_client, django_assert_max_num_queries
):
    for n in range(6):
        company = CompanyFactory()
        CertificateFactory(company=company, type=world.ctype)
        post_events(market_client, [event(f"E{n}", uscc=company.uscc)])
    client = Client()
    client.force_login(world.staff)
    with django_assert_max_num_queries(12):
        response = client.get("/proactive/dashboard/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "共生成 6 条推送" in html
    assert world.item.name in html and "青岛市" in html
    assert "<svg" in html
    # English pages name the items and districts in English (issue 14 point 9)
    world.item.name_en = "Food business licence (change)"
    world.item.save(update_fields=["name_en"])
    english = client.get("/proactive/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Food business licence (change)" in english and world.item.name not in english
    assert "Qingdao" in english and "青岛市" not in english


def test_sent_and_opened_count_every_offer_that_got_that_far(
    world, market_client, django_capture_on_commit_callbacks
):
    """An offer opened and then confirmed counts as sent, opened and confirmed; the stages never
    add up to more than the offers made."""
    from approvals.proactive import selectors

    from .flow import confirmed_case

    confirmed_case(world, market_client, django_capture_on_commit_callbacks)
    overall = selectors.dashboard()["overall"]
    assert overall["total"] == 1
    assert (overall["sent"], overall["opened"], overall["confirmed"]) == (1, 1, 1)
    assert overall["declined"] == overall["lapsed"] == 0


def test_dashboard_counts_only_the_departments_offers(world, market_client):
    """Department staff see their department's offers; another department's staff none, and
    staff of no department (is_staff alone) are turned away."""
    from portal.accounts.models import Role
    from portal.accounts.services import assign_role
    from tests.factories import DepartmentFactory, UserFactory

    post_events(market_client, [event(uscc=world.company.uscc)])
    own = Client()
    own.force_login(world.staff)
    assert "共生成 1 条推送" in own.get("/proactive/dashboard/").content.decode()
    other_user = UserFactory(username="other_department")
    assign_role(other_user, Role.DEPARTMENT_STAFF, DepartmentFactory())
    other = Client()
    other.force_login(other_user)
    html = other.get("/proactive/dashboard/").content.decode()
    assert "共生成 0 条推送" in html and world.item.name not in html
    outlet_manager = UserFactory(username="outlet_like")
    assign_role(outlet_manager, Role.OUTLET_MANAGER)
    manager = Client()
    manager.force_login(outlet_manager)
    assert manager.get("/proactive/dashboard/").status_code == 403

"""The staff dashboard: counts by status, item and district, aggregated in SQL."""

from django.test import Client

from .conftest import event
from .factories import CertificateFactory, CompanyFactory
from .helpers import post_events


def test_dashboard_is_staff_only(world):
    assert Client().get("/proactive/dashboard/").status_code == 302
    client = Client()
    client.force_login(world.rep_user)
    assert client.get("/proactive/dashboard/").status_code == 302


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

"""The staff's work pages (issue 14, point 4): the apps register them in the core registry, the
first that applies is where sign-in leads unless a ``next`` is asked for, and a citizen has none
(at no query's cost)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from portal.accounts.models import Role
from portal.registry import Registry, registry
from tests.approvals.factories import department_staff, district_department, hall, point_staff
from tests.factories import UserFactory


def test_work_pages_in_order_only_those_that_apply_and_none_for_visitors():
    reg = Registry()
    reg.add_work_page("b:work", "B", applies=lambda u: u.role == "b", order=20)
    reg.add_work_page("a:work", "A", applies=lambda u: True, order=10)
    reg.add_work_page("c:work", "C", applies=lambda u: False, order=5)
    user = SimpleNamespace(is_authenticated=True, role="b")
    assert [w.url_name for w in reg.work_pages(user)] == ["a:work", "b:work"]
    assert reg.work_pages(AnonymousUser()) == []
    reg.add_work_page("a:work", "A again", applies=lambda u: False, order=10)  # replaces
    assert [w.url_name for w in reg.work_pages(user)] == ["b:work"]


def test_isolated_undoes_the_work_pages_added_in_the_block():
    before = [w.url_name for w in registry._work]
    with registry.isolated(empty=True) as reg:
        reg.add_work_page("x:work", "X", applies=lambda u: True)
        assert [w.url_name for w in reg._work] == ["x:work"]
    assert [w.url_name for w in registry._work] == before


@pytest.mark.django_db
def test_a_citizen_has_no_work_page_and_asking_costs_no_query(django_assert_num_queries):
    citizen = UserFactory()
    with django_assert_num_queries(0):
        assert registry.work_pages(citizen) == []


def sign_in(client, username: str, next_url: str = "") -> str:
    data = {
        "method": "password",
        "password-username": username,
        "password-password": "correct-horse-battery",
    }
    if next_url:
        data["next"] = next_url
    response = client.post("/accounts/login/", data)
    assert response.status_code == 302
    return response["Location"]


@pytest.mark.django_db
def test_sign_in_leads_each_role_to_its_work_page(client):
    department_staff(district_department("370202"), "reviewer_u")
    point_staff(hall("370212"), "hall_u")
    UserFactory(username="outlet_u", role=Role.OUTLET_MANAGER)
    UserFactory(username="admin_u", role=Role.ADMINISTRATOR, is_staff=True)
    UserFactory(username="citizen_u")
    UserFactory(username="company_u", role=Role.COMPANY_HANDLER)
    # staff without a department or an acceptance point have no worklist: the home page
    UserFactory(username="unbound_u", role=Role.DEPARTMENT_STAFF, department=None)
    expected = {
        "reviewer_u": "/cases/staff/",
        "hall_u": "/cases/staff/",
        "outlet_u": "/outlets/manage/",
        "admin_u": "/admin/",
        "citizen_u": "/",
        "company_u": "/",
        "unbound_u": "/",
    }
    for username, target in expected.items():
        client.logout()
        assert sign_in(client, username) == target, username
    # an explicit next still wins
    client.logout()
    assert sign_in(client, "outlet_u", "/outlets/") == "/outlets/"


@pytest.mark.django_db
def test_the_header_links_the_work_page_on_every_page(client):
    client.force_login(UserFactory(role=Role.OUTLET_MANAGER))
    html = client.get("/").content.decode()
    assert 'class="work-link" href="/outlets/manage/"' in html
    client.force_login(UserFactory())
    assert "work-link" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_on_the_work_page_only_its_link_is_the_current_one(client):
    client.force_login(department_staff(district_department("370202")))
    html = client.get("/cases/staff/").content.decode()
    assert html.count('aria-current="page"') == 1
    assert 'class="work-link" href="/cases/staff/" aria-current="page"' in html

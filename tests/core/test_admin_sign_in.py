"""The admin's way in is the portal's sign-in (issue 14, point 7): visitors are sent there,
signed-in staff go on, anyone else signed in is refused, and ``next`` never leaves the site."""

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_visitors_are_sent_to_the_portal_sign_in():
    client = Client()
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/admin/"
    assert response.status_code == 200


def test_signed_in_staff_go_on_and_others_are_refused():
    staff = Client()
    staff.force_login(UserFactory(username="admin_like", is_staff=True, is_superuser=True))
    response = staff.get("/admin/login/?next=/admin/portal/calendarday/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/portal/calendarday/"
    citizen = Client()
    citizen.force_login(UserFactory(username="not_staff"))
    assert citizen.get("/admin/login/?next=/admin/").status_code == 403


def test_next_never_leaves_the_site():
    response = Client().get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/accounts/login/?next=/admin/"

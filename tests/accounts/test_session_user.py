"""The signed-in user of every request comes with where they work (the bindings the apps
register: an acceptance point, a legal-aid centre) in one query (ADR 0124), and whatever
changes in a binding shows on the next request."""

from __future__ import annotations

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY

from approvals.models import PointStaff
from approvals.permissions import point_id_of
from legal_aid import permissions as legal_aid_perms
from legal_aid.models import Centre, StaffMembership
from portal.accounts.backends import ModelBackend
from tests.approvals.factories import AcceptancePointFactory, point_staff
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _centre() -> Centre:
    from legal_aid import reference

    reference.load()
    return Centre.objects.get(code="LA370285")


def test_password_sign_in_keeps_the_backend_that_loads_bindings(client):
    UserFactory(username="wang")
    response = client.post(
        LOGIN,
        {
            "method": "password",
            "password-username": "wang",
            "password-password": "correct-horse-battery",
        },
    )
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == "portal.accounts.backends.ModelBackend"


def test_a_point_staff_member_is_loaded_with_their_point_in_one_query(
    django_assert_num_queries,
):
    point = AcceptancePointFactory()
    user = point_staff(point)
    with django_assert_num_queries(1):
        loaded = ModelBackend().get_user(user.pk)
        assert point_id_of(loaded) == point.pk


def test_legal_aid_staff_are_loaded_with_their_centre_in_one_query(django_assert_num_queries):
    user = UserFactory(role="legal_aid_staff")
    centre = _centre()
    StaffMembership.objects.create(user=user, centre=centre, role="bureau")
    with django_assert_num_queries(1):
        loaded = ModelBackend().get_user(user.pk)
        membership = legal_aid_perms.membership(loaded)
        assert membership.centre.name == centre.name
        assert legal_aid_perms.is_bureau_officer(loaded)
        assert point_id_of(loaded) is None  # no point: known from the same row, no query


def test_a_binding_removed_is_gone_on_the_next_request(client):
    point = AcceptancePointFactory()
    user = point_staff(point, department=None)  # their point is their only worklist
    client.force_login(user, backend="portal.accounts.backends.ModelBackend")
    assert client.get("/cases/staff/").status_code == 200
    PointStaff.objects.filter(user=user).delete()
    assert client.get("/cases/staff/").status_code == 403


def test_an_inactive_account_is_signed_out():
    user = UserFactory(is_active=False)
    assert ModelBackend().get_user(user.pk) is None
    assert ModelBackend().get_user(987_654_321) is None

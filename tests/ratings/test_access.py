"""The ratings' policy: administrators see every rating; department staff their department's
(the department rated, or the rated item's competent department); the citizen their own; nobody
changes a rating in the admin. The statistics stay public."""

import pytest
from django.urls import reverse

from portal.accounts.models import Role
from portal.accounts.services import assign_role
from portal.ratings import selectors, services
from tests.factories import DepartmentFactory, ServiceItemFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ratings():
    housing, tax = DepartmentFactory(name="住建局"), DepartmentFactory(name="税务局")
    citizen, other = UserFactory(username="c1"), UserFactory(username="c2")
    a = services.rate(
        subject=ServiceItemFactory(department=housing),
        user=citizen,
        score=5,
        comment="住建很好",
        department=housing,
    )
    b = services.rate(
        subject=ServiceItemFactory(department=tax),
        user=other,
        score=4,
        comment="税务不错",
        department=tax,
    )
    return {"housing": housing, "tax": tax, "citizen": citizen, "a": a, "b": b}


def staff_of(department, username):
    return assign_role(UserFactory(username=username), Role.DEPARTMENT_STAFF, department)


def test_each_sees_their_own(ratings):
    housing_staff = staff_of(ratings["housing"], "h")
    admin = assign_role(UserFactory(username="adm"), Role.ADMINISTRATOR)
    assert list(selectors.ratings_for(housing_staff)) == [ratings["a"]]
    assert list(selectors.ratings_for(ratings["citizen"])) == [ratings["a"]]
    assert set(selectors.ratings_for(admin)) == {ratings["a"], ratings["b"]}
    outlet_manager = assign_role(UserFactory(username="om"), Role.OUTLET_MANAGER)
    assert not selectors.ratings_for(outlet_manager).exists()


def test_admin_list_is_the_department_s_and_read_only(client, ratings):
    client.force_login(staff_of(ratings["housing"], "h"))
    listing = client.get(reverse("admin:ratings_rating_changelist")).content.decode()
    assert "住建很好" in listing and "税务不错" not in listing
    own = reverse("admin:ratings_rating_change", args=[ratings["a"].pk])
    assert 'name="comment"' not in client.get(own).content.decode()
    assert client.post(own, {"score": 1, "comment": "改"}).status_code == 403
    other = client.get(reverse("admin:ratings_rating_change", args=[ratings["b"].pk]))
    assert other.status_code == 302  # not theirs: the admin says it does not exist
    ratings["a"].refresh_from_db()
    assert ratings["a"].comment == "住建很好"


def test_statistics_stay_public(client, ratings):
    assert client.get(reverse("ratings:statistics")).status_code == 200
    assert client.get("/api/v1/ratings/statistics/").status_code == 200

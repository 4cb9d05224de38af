"""The cases list's parameters (CaseFilterSet): an unknown scope or status is a 400 problem
naming it; an empty one means the default."""

from __future__ import annotations

import pytest

from tests.problems import assert_problem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"scope": "everything"}, "scope"),
        ({"scope": "department", "status": "lost"}, "status"),
        ({"status": "lost"}, "status"),
    ],
)
def test_unknown_values_are_refused(world, client, params, parameter):
    client.force_login(world.dept_staff)
    assert_problem(client.get("/api/v1/cases/", params), 400, parameter)


def test_empty_values_mean_the_defaults(world, client):
    client.force_login(world.dept_staff)
    response = client.get("/api/v1/cases/", {"scope": "", "status": ""})
    assert response.status_code == 200
    assert response.json()["count"] == 0  # mine: the staff member applied for nothing

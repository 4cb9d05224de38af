"""The finder's filters (OutletFilterSet): a bad or empty value is a 400 problem naming the
parameter; a radius without ``near`` is ignored, as it always was."""

from __future__ import annotations

import pytest

from tests.problems import assert_problem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"near": "91,120"}, "near"),
        ({"near": "36.1;120.3"}, "near"),
        ({"near": "36.1,120.3", "radius_km": "0"}, "radius_km"),
        ({"near": "36.1,120.3", "radius_km": "1001"}, "radius_km"),
        ({"near": "36.1,120.3", "radius_km": "nan"}, "radius_km"),
        ({"open_now": "yes"}, "open_now"),
        ({"district": "3702"}, "district"),
        ({"kind": ""}, "kind"),
        ({"operator": "pirates"}, "operator"),
        ({"item": "-bad code"}, "item"),
        ({"item": "NO-SUCH-ITEM"}, "item"),
    ],
)
def test_finder_refuses_bad_values(client, params, parameter):
    assert_problem(client.get("/api/v1/outlets/", params), 400, parameter)


def test_a_radius_without_near_is_ignored(client):
    assert client.get("/api/v1/outlets/", {"radius_km": "5"}).status_code == 200

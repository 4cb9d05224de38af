"""The rating statistics' parameters (StatisticsFilterSet): bad or empty values are 400
problems naming the parameter."""

from __future__ import annotations

import pytest

from tests.problems import assert_problem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"by": ""}, "by"),
        ({"by": "weather"}, "by"),
        ({"since": ""}, "since"),
        ({"until": "2026-13-01"}, "until"),
        ({"since": "01/02/2026"}, "since"),
        ({"since": " 2026-01-01"}, "since"),
    ],
)
def test_bad_values_are_refused(client, params, parameter):
    assert_problem(client.get("/api/v1/ratings/statistics/", params), 400, parameter)

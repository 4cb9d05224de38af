"""The catalogue's list filters (ItemFilterSet, DepartmentFilterSet): a bad or empty value is a
400 problem naming the parameter; ``q`` may be empty."""

from __future__ import annotations

import pytest

from tests.factories import ServiceItemFactory
from tests.problems import assert_problem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"domain": ""}, "domain"),
        ({"kind": "nonsense"}, "kind"),
        ({"applicant_kind": "alien"}, "applicant_kind"),
        ({"department": "D" * 33}, "department"),
        ({"department": " "}, "department"),
        ({"village": "sometimes"}, "village"),
        ({"city_wide": ""}, "city_wide"),
        ({"q": "社保" * 51}, "q"),
    ],
)
def test_items_refuse_bad_values(client, params, parameter):
    assert_problem(client.get("/api/v1/items/", params), 400, parameter)


@pytest.mark.parametrize(
    ("params", "parameter"),
    [({"level": ""}, "level"), ({"region": "3702001"}, "region"), ({"level": "galaxy"}, "level")],
)
def test_departments_refuse_bad_values(client, params, parameter):
    assert_problem(client.get("/api/v1/departments/", params), 400, parameter)


def test_items_take_drf_boolean_words_and_an_empty_search(client):
    ServiceItemFactory(code="B-1", proactive=True)
    ServiceItemFactory(code="B-2", proactive=False)
    for word, expected in (("YES", ["B-1"]), ("on", ["B-1"]), ("f", ["B-2"]), ("No", ["B-2"])):
        response = client.get("/api/v1/items/", {"proactive": word, "q": ""})
        assert response.status_code == 200, response.content
        assert [r["code"] for r in response.json()["results"]] == expected

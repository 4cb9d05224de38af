"""Legal aid's query parameters (BodyFilterSet, the routing and statistics questions): a bad
value is a 400 problem naming the parameter; an empty one is "not given"."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory
from tests.problems import assert_problem

pytestmark = pytest.mark.django_db


def test_bodies_refuse_an_unknown_kind_and_ignore_an_empty_one(client):
    assert_problem(client.get("/api/v1/legal-aid/bodies/", {"kind": "planet"}), 400, "kind")
    assert client.get("/api/v1/legal-aid/bodies/", {"kind": ""}).status_code == 200


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"body": "NO-SUCH-BODY"}, "body"),
        ({"place": "999999"}, "place"),
        ({"place": "370200", "matter_type": "cosmic"}, "matter_type"),
        ({}, "non_field_errors"),
        ({"body": "", "place": ""}, "non_field_errors"),
    ],
)
def test_routing_refuses_bad_questions(client, params, parameter):
    body = assert_problem(client.get("/api/v1/legal-aid/routing/", params), 400)
    assert parameter in body["errors"]


@pytest.mark.parametrize("value", ["2026-02-30", "30/01/2026", "soon"])
def test_statistics_refuse_a_bad_date(client, value):
    client.force_login(UserFactory(username="h5-admin", is_superuser=True, is_staff=True))
    url = "/api/v1/legal-aid/statistics/"
    assert_problem(client.get(url, {"date_from": value}), 400, "date_from")
    assert client.get(url, {"date_from": "", "date_to": "2026-01-31"}).status_code == 200

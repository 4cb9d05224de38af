"""A service's refusal reaches the API caller as problem details naming the field, and nothing
changes."""

import pytest

from .factories import (
    ManagerFactory,
    OutletFactory,
    SelfServiceItemFactory,
    TerminalFactory,
    bind,
    publish_items,
    versions,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client):
    outlet = OutletFactory(code="MINE")
    TerminalFactory(outlet=outlet, code="MINE-T1")
    TerminalFactory(outlet=OutletFactory(code="OTHER"), code="OTHER-T1")
    publish_items(outlet, [SelfServiceItemFactory(code="LISTED")])
    manager = ManagerFactory()
    bind(manager, outlet)
    client.force_login(manager)
    return client, outlet


def test_a_terminal_of_another_outlet_is_a_field_problem(manager_client):
    client, _outlet = manager_client
    SelfServiceItemFactory(code="NEW")
    response = client.post(
        "/api/v1/outlets/MINE/draft/items/",
        {"item": "NEW", "terminals": ["OTHER-T1"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert "OTHER-T1" in body["errors"]["terminals"][0]
    draft = client.get("/api/v1/outlets/MINE/draft/").json()
    assert [i["code"] for i in draft["items"]] == ["LISTED"]


def test_a_past_effective_date_is_a_field_problem(manager_client):
    client, outlet = manager_client
    response = client.post(
        "/api/v1/outlets/MINE/publish/",
        {"effective_date": "2000-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert list(response.json()["errors"]) == ["effective_date"]
    assert [v.number for v in versions(outlet) if v.number] == [1]


def test_an_unchanged_draft_is_refused_as_a_whole(manager_client):
    client, outlet = manager_client
    client.get("/api/v1/outlets/MINE/draft/")  # the draft: a copy of version 1
    response = client.post(
        "/api/v1/outlets/MINE/publish/",
        {"effective_date": "2099-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["non_field_errors"]
    assert [v.number for v in versions(outlet) if v.number] == [1]

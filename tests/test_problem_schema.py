"""One problem-details component (``Problem``, portal.api.problems) for every error answer of
the API: every 4xx response of openapi.yaml refers to it, and real answers of the exception
handler and of the request guards validate against it."""

from __future__ import annotations

import pytest
import yaml

from tests.factories import UserFactory
from tests.problems import OPENAPI, assert_problem

PROBLEM_REF = "#/components/schemas/Problem"


def test_every_4xx_response_is_the_one_problem_component():
    document = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
    others = [name for name in document["components"]["schemas"] if name.endswith("Problem")]
    assert others == ["Problem"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation.get("responses", {}).items():
                if status.startswith("4"):
                    content = response.get("content", {})
                    assert list(content) == ["application/problem+json"], (path, method, status)
                    schema = content["application/problem+json"]["schema"]
                    assert schema == {"$ref": PROBLEM_REF}, (path, method, status)


@pytest.mark.django_db
def test_real_answers_match_the_component(client):
    assert_problem(client.get("/api/v1/items/", {"domain": "astrology"}), 400, "domain")
    assert_problem(client.get("/api/v1/items/NO-SUCH-ITEM/"), 404)
    body = assert_problem(client.get("/api/v1/cases/"), 403)
    assert body["code"] == "not_authenticated"
    assert_problem(client.get("/api/v1/no-such-endpoint/"), 404)  # Django's 404, not DRF's
    client.force_login(UserFactory(username="h5-citizen"))
    assert_problem(client.delete("/api/v1/items/"), 405)
    by_field = assert_problem(
        client.post("/api/v1/legal-aid/applications/", {}, content_type="application/json"), 400
    )
    assert {"applicant_name", "facts"} <= set(by_field["errors"])


@pytest.mark.django_db
def test_a_refused_licence_event_batch_matches_the_component(client):
    from tests.proactive.conftest import system_client

    key = system_client("licence_events:write")
    response = key.post(
        "/api/v1/approvals/licence-events/",
        {"events": [{"event_id": "", "uscc": "x"}]},
        content_type="application/json",
    )
    body = assert_problem(response, 400)
    assert body["invalid_events"]

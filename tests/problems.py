"""Checks on problem-details answers (RFC 9457), shared by the API tests of every app."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

OPENAPI = Path(__file__).resolve().parent.parent / "openapi.yaml"


def _json_schema(schema: Any) -> Any:
    """OpenAPI 3.0's ``nullable`` as JSON Schema's ``null`` type."""
    if isinstance(schema, dict):
        out = {key: _json_schema(value) for key, value in schema.items() if key != "nullable"}
        if schema.get("nullable") and "type" in schema:
            out["type"] = [schema["type"], "null"]
        return out
    if isinstance(schema, list):
        return [_json_schema(value) for value in schema]
    return schema


@cache
def problem_schema() -> dict:
    """The one problem component of the committed openapi.yaml, as JSON Schema."""
    document = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
    return _json_schema(document["components"]["schemas"]["Problem"])


def assert_problem(response, status: int, parameter: str | None = None) -> dict:
    """``response`` is problem details with ``status``, valid against the published schema,
    and (for a 400) names ``parameter`` among its errors and in its detail."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    jsonschema.validate(body, problem_schema())
    assert body["status"] == status
    if parameter is not None:
        assert parameter in body["errors"], body
        assert any(body["detail"].startswith(f"{name}:") for name in body["errors"]), body
    return body

"""The one problem-details schema of the API (RFC 9457) and the helper every operation documents
its error answers with: ``responses={200: ..., **problem_responses(400, 403, 404)}``.

The schema says what the portal emits (``portal.api.exceptions.problem_exception_handler`` and
``portal.errors.error_response``; ADR 0081): the RFC's ``type``, ``title``, ``status`` and
``detail`` always, and the portal's extensions when they apply. ``instance`` is not emitted."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

PROBLEM_TYPE = "application/problem+json"

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Problem details (RFC 9457), sent as application/problem+json.",
    "properties": {
        "type": {
            "type": "string",
            "description": "about:blank#<code>: the kind of problem (`about:blank#invalid`, "
            "`about:blank#not_found`, `about:blank#permission_denied`, ...).",
        },
        "title": {"type": "string", "description": "A short summary of the kind of problem."},
        "status": {"type": "integer", "description": "The HTTP status code."},
        "detail": {
            "type": "string",
            "description": "What went wrong with this request; for invalid input the first "
            "error, prefixed with its field or parameter (`kind: ...`).",
        },
        "code": {
            "type": "string",
            "description": "A machine-readable reason, where the answer has one "
            "(`not_authenticated`, `not_allowed_now`, `materials_missing`, ...).",
        },
        "errors": {
            "description": "Invalid input (400): the messages by field or query parameter "
            "(nested as the input is), or a list of messages.",
            "oneOf": [
                {"type": "object", "additionalProperties": True},
                {"type": "array", "items": {}},
            ],
        },
        "retry_after": {
            "type": "integer",
            "nullable": True,
            "description": "Too many requests (429): seconds to wait.",
        },
        "invalid_events": {
            "type": "array",
            "items": {"type": "object", "additionalProperties": True},
            "description": "A refused licence-event batch: each bad event by its index and "
            "event_id, with its errors.",
        },
    },
    "required": ["type", "title", "status", "detail"],
    # Some answers add named facts of their own (a refusal's ``rule`` and ``places``, the
    # ``missing_materials``); their operations' descriptions name them.
    "additionalProperties": True,
}

DESCRIPTIONS = {
    400: "Invalid input: the errors by field or query parameter.",
    401: "Not signed in (or no valid API key).",
    403: "Not allowed.",
    404: "Not found (or not yours to see, or no such page).",
    405: "Method not allowed.",
    409: "The record's state does not allow this now.",
    413: "The request body is too large.",
    422: "Refused by a rule.",
    429: "Too many requests.",
}


class ProblemSerializer(serializers.Serializer):
    """Stands for ``PROBLEM_SCHEMA`` in the OpenAPI schema (``ProblemExtension``)."""


class ProblemExtension(OpenApiSerializerExtension):
    target_class = ProblemSerializer

    def get_name(self, auto_schema, direction):
        return "Problem"

    def map_serializer(self, auto_schema, direction):
        return PROBLEM_SCHEMA


def problem_responses(*statuses: int, **described: str) -> dict:
    """``{(status, "application/problem+json"): response}`` for ``extend_schema(responses=)``.
    A status's description may be given as ``s409="..."`` when the operation says more."""
    return {
        (status, PROBLEM_TYPE): OpenApiResponse(
            ProblemSerializer, description=described.get(f"s{status}", DESCRIPTIONS[status])
        )
        for status in sorted({*statuses, *(int(key[1:]) for key in described)})
    }

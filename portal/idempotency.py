"""One submission, one record, however often or fast the button is pressed, in one tab or two
(ADR 0080).

A form page carries a token (:func:`form_token`) that stays in the session until a submission
with it succeeds (:func:`consume`), so every tab showing the same form sends the same token. The
service that creates the record takes :func:`submission_key` of it and stores it in a unique
column: a second submission with the same key finds the first record instead of making another
(a race between two is settled by the unique index). API clients get the same with an
``Idempotency-Key`` header (:func:`api_submission_key`)."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.http import HttpRequest
from drf_spectacular.utils import OpenApiParameter

SESSION_KEY = "submission_tokens"
FIELD = "submission_token"
HEADER = "Idempotency-Key"
MAX_TOKEN = 100

#: The header in the OpenAPI schema of an operation that creates a record.
SCHEMA_PARAMETER = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "A value of your choice, at most 100 printable characters, unique per record you mean "
        "to create. Sending the same value again (a retry after a timeout) returns the record "
        "made the first time instead of a second one."
    ),
)


def form_token(request: HttpRequest, purpose: str) -> str:
    """The token for the form about ``purpose`` (e.g. ``case:<item code>``)."""
    tokens = request.session.get(SESSION_KEY, {})
    token = tokens.get(purpose)
    if not token:
        token = secrets.token_urlsafe(16)
        tokens[purpose] = token
        request.session[SESSION_KEY] = tokens
    return token


def consume(request: HttpRequest, purpose: str) -> None:
    """The submission succeeded: the next form about ``purpose`` gets a new token."""
    tokens = request.session.get(SESSION_KEY, {})
    if tokens.pop(purpose, None) is not None:
        request.session[SESSION_KEY] = tokens


def submission_key(actor: Any, purpose: str, token: str | None) -> str | None:
    """The key a service stores for a submission of ``purpose`` with ``token`` by ``actor`` (a
    user, or the session key of an anonymous visitor); None without a usable token."""
    token = (token or "").strip()
    if not token or len(token) > MAX_TOKEN or not token.isprintable():
        return None
    who = getattr(actor, "pk", None) or str(actor)
    return hashlib.sha256(f"{who}\x1f{purpose}\x1f{token}".encode()).hexdigest()


def posted_key(request: HttpRequest, purpose: str) -> str | None:
    """The key of a form post (its hidden ``submission_token`` field)."""
    actor = request.user if request.user.is_authenticated else request.session.session_key
    return submission_key(actor, purpose, request.POST.get(FIELD))


def api_submission_key(request: Any, purpose: str) -> str | None:
    """The key of an API call that sent ``Idempotency-Key``."""
    return submission_key(request.user, purpose, request.headers.get(HEADER))

"""Read replica routing (issue 19, ADR 0113).

With DATABASE_REPLICA_URL set, reads of the public, slow-changing data (the catalogue and its
lists, outlets, published list versions) go to the streaming replica; everything else, every
write and every read inside a transaction, goes to the primary. A user who has just written reads
the primary for ``PIN_SECONDS`` afterwards (read-your-writes): a write request sets a short-lived
cookie, and the middleware pins every request that carries it, so a manager who publishes a list
sees it at once although the replica may lag by a fraction of a second."""

from __future__ import annotations

import contextvars
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
# Apps whose models are public, read often and change seldom.
REPLICA_APPS = frozenset({"catalogue", "outlets"})
PIN_COOKIE = "pin_primary"
PIN_SECONDS = 10
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_pinned: contextvars.ContextVar[bool] = contextvars.ContextVar("pinned_to_primary", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        if (
            model._meta.app_label in REPLICA_APPS
            and replica_configured()
            and not _pinned.get()
            and not connections["default"].in_atomic_block
        ):
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db != REPLICA


class PrimaryPinMiddleware:
    """Pins a request to the primary when it writes, or when its user wrote in the last
    PIN_SECONDS (the cookie a write sets)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        writes = request.method in UNSAFE_METHODS
        token = _pinned.set(writes or PIN_COOKIE in request.COOKIES)
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if writes:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=PIN_SECONDS,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response

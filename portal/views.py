"""Project-level views that belong to no domain: the health check."""

from __future__ import annotations

from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

HEALTHZ_PATH = "/healthz"


def database_status() -> tuple[bool, str]:
    """(True, "ok") when the database answers a query, else (False, a short reason)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return False, f"{type(exc).__name__}: {exc}"[:200]
    return True, "ok"


def _health_response() -> JsonResponse:
    ok, reason = database_status()
    if not ok:
        response = JsonResponse({"status": "unavailable", "database": reason}, status=503)
    else:
        response = JsonResponse({"status": "ok", "database": "ok"})
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 only when the database answers a query; 503 otherwise."""
    return _health_response()


class HealthCheckMiddleware:
    """Answers GET/HEAD /healthz before any other middleware (production profile).

    Load balancers and orchestrators probe over plain HTTP with their own Host header (often an
    IP): going through SecurityMiddleware would redirect them to HTTPS and ALLOWED_HOSTS would
    refuse them with 400. The answer carries only "ok"/"unavailable" and the database's error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == HEALTHZ_PATH and request.method in ("GET", "HEAD"):
            response = _health_response()
            if request.method == "HEAD":
                response.content = b""
            return response
        return self.get_response(request)

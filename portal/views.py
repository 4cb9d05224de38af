"""Project-level views that belong to no domain: the health check and the admin's way in."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

HEALTHZ_PATH = "/healthz"
logger = logging.getLogger(__name__)


def database_status() -> tuple[bool, str]:
    """(True, "ok") when the database answers a query, else (False, a short reason)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return False, f"{type(exc).__name__}: {exc}"[:200]
    return True, "ok"


def cache_status() -> tuple[bool, str]:
    """(True, "ok") when the cache (Redis in production) stores and returns a value."""
    token = secrets.token_hex(8)
    try:
        cache.set("healthz", token, 10)
        ok = cache.get("healthz") == token
    except Exception as exc:  # noqa: BLE001  (any backend's failure: redis, database, memcached)
        return False, f"{type(exc).__name__}: {exc}"[:200]
    return ok, "ok" if ok else "the value read back differs"


CHECKS: dict[str, Callable[[], tuple[bool, str]]] = {
    "database": database_status,
    "cache": cache_status,
}


def _health_response() -> JsonResponse:
    """Each dependency "ok" or "unavailable"; 503 when any is unavailable. The error itself
    goes to the log, not to the answer: a probe is public, and a database's error text names
    hosts, users and databases."""
    answer: dict[str, str] = {}
    for name, check in CHECKS.items():
        ok, reason = check()
        answer[name] = "ok" if ok else "unavailable"
        if not ok:
            logger.error("healthz: %s unavailable: %s", name, reason)
    healthy = all(value == "ok" for value in answer.values())
    response = JsonResponse(
        {"status": "ok" if healthy else "unavailable", **answer}, status=200 if healthy else 503
    )
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
    refuse them with 400. The answer carries only "ok"/"unavailable" per dependency."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == HEALTHZ_PATH and request.method in ("GET", "HEAD"):
            response = _health_response()
            if request.method == "HEAD":
                response.content = b""
            return response
        return self.get_response(request)


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """The admin's sign-in page is the portal's (issue 14, point 7): visitors are sent to the
    portal's sign-in (which knows every way of signing in and leads back to ``next``), staff
    already signed in go on, and anyone else signed in is refused (403) rather than shown a
    second, English-only password form. A POST still reaches the admin's own form, under the
    same lockout, for scripts that sign in there."""
    if request.method == "POST":
        return admin.site.login(request)
    target = request.GET.get("next") or "/admin/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/admin/"
    if not request.user.is_authenticated:
        return redirect_to_login(target)
    if admin.site.has_permission(request):
        return redirect(target)
    raise PermissionDenied


def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers and bookmarks ask for whatever the page links: the icon
    in static/ (base.html links the SVG and PNG ones)."""
    from django.templatetags.static import static

    return redirect(static("favicon.ico"), permanent=True)

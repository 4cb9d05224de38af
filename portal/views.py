"""Project-level views that belong to no domain: the health check and the admin's way in."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
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

"""Error answers in the portal's voice: problem details (RFC 9457) under ``/api/``, a page in
the site layout (Chinese first, English when chosen) everywhere else. Django's handlers for 400,
403, 404 and 500 and the CSRF failure view come here, and so do the request guards
(``portal.middleware``)."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.template.exceptions import TemplateDoesNotExist
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
PROBLEM_TYPE = "application/problem+json"

TITLES = {
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    413: "Content Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}

# Seconds a client should wait before trying again after a 503 (the Retry-After header).
RETRY_AFTER = 30


def _default_detail(status: int) -> str:
    return {
        400: _(
            "The request could not be understood: it contains something the portal cannot accept."
        ),
        403: _("You do not have permission to open this page."),
        404: _("The page you asked for does not exist, or the link is incomplete."),
        413: _("The request is too large."),
        429: _("Too many requests; please wait a moment and try again."),
        500: _("Something went wrong on our side. Please try again later."),
        503: _(
            "The service is busy or under maintenance and cannot answer just now. Nothing you "
            "sent was lost or half saved; please try again in a minute."
        ),
    }.get(status, _("The request could not be completed."))


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def error_response(
    request: HttpRequest,
    status: int,
    detail: str = "",
    *,
    code: str = "",
    heading: str = "",
    next_steps: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    """The answer to a request that cannot be served. ``heading`` replaces the status's title
    and ``next_steps`` ((url, label) pairs) come before the way home, so a page that knows what
    went wrong (an expired or cut-off link) says so and offers what to do next."""
    detail = detail or _default_detail(status)
    if is_api(request):
        body = {
            "type": f"about:blank#{code or status}",
            "title": TITLES.get(status, "Error"),
            "status": status,
            "detail": detail,
        }
        return JsonResponse(
            body,
            status=status,
            content_type=PROBLEM_TYPE,
            json_dumps_params={"ensure_ascii": False},
        )
    try:
        template = loader.get_template("error.html")
        content = template.render(
            {
                "status": status,
                "detail": detail,
                "code": code,
                "heading": heading,
                "next_steps": next_steps or [],
            },
            request,
        )
    except TemplateDoesNotExist:  # pragma: no cover - the template ships with the portal
        content = detail
    return HttpResponse(content, status=status)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return error_response(request, 400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return error_response(request, 403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return error_response(request, 404)


def database_unavailable(exc: BaseException | None) -> bool:
    """True when ``exc`` says the database cannot be reached or cannot take the work now (server
    down, too many connections, disk full, a locked SQLite file), rather than a fault in the
    portal: such a request is answered 503, to be retried, and never half saved (every write
    runs in a transaction)."""
    return isinstance(exc, OperationalError | InterfaceError)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After, rendered without the database: no context processors, no session,
    no user (each would ask the database that just failed)."""
    if is_api(request):
        response = error_response(request, 503, code="unavailable")
    else:
        try:
            content = loader.get_template("503.html").render({})
        except Exception:  # noqa: BLE001  (last resort: a plain answer rather than another error)
            content = "503"
        response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls the handler inside its except block: the exception is the one being handled.
    if database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    # No template context processors here: the page must render even when they fail.
    if is_api(request):
        return error_response(request, 500)
    try:
        content = loader.get_template("500.html").render({"home": "/"})
    except Exception:  # noqa: BLE001  (last resort: a plain answer rather than another error)
        content = "500"
    return HttpResponse(content, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    back = request.META.get("HTTP_REFERER", "")
    steps = []
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        steps.append((back, _("Back to the form")))
    return error_response(
        request,
        403,
        _(
            "The form could not be sent because its security check failed (the page may have "
            "been open too long, or cookies are off). Go back, reload the page and try again."
        ),
        code="csrf",
        heading=_("The form could not be sent"),
        next_steps=steps,
    )

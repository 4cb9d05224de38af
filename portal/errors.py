"""Error answers in the portal's voice: problem details (RFC 9457) under ``/api/``, a page in
the site layout (Chinese first, English when chosen) everywhere else. Django's handlers for 400,
403, 404 and 500 and the CSRF failure view come here, and so do the request guards
(``portal.middleware``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.template.exceptions import TemplateDoesNotExist
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
}


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
    }.get(status, _("The request could not be completed."))


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def error_response(
    request: HttpRequest, status: int, detail: str = "", *, code: str = ""
) -> HttpResponse:
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
        content = template.render({"status": status, "detail": detail}, request)
    except TemplateDoesNotExist:  # pragma: no cover - the template ships with the portal
        content = detail
    return HttpResponse(content, status=status)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return error_response(request, 400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return error_response(request, 403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return error_response(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No template context processors here: the page must render even when they fail.
    if is_api(request):
        return error_response(request, 500)
    try:
        content = loader.get_template("500.html").render({})
    except Exception:  # noqa: BLE001  (last resort: a plain answer rather than another error)
        content = "500"
    return HttpResponse(content, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_response(
        request,
        403,
        _(
            "The form could not be sent because its security check failed (the page may have "
            "been open too long, or cookies are off). Go back, reload the page and try again."
        ),
        code="csrf",
    )

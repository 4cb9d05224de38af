"""API errors as RFC 9457 problem details (``application/problem+json``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from portal.workflow.errors import Invalid, Refused


class StepRefused(exceptions.APIException):
    """A workflow step refused because of the record's state (409); ``code`` says why."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "not_allowed_now"
    default_detail = "The record's state does not allow this step now."


def _refused(exc: Refused) -> exceptions.APIException:
    """The one mapping of a workflow refusal to an API error (the problem's ``code`` is the
    refusal's; ``extra`` adds fields, e.g. the missing materials)."""
    if isinstance(exc, Invalid):
        return exceptions.ValidationError(exc.errors)
    if exc.status == status.HTTP_403_FORBIDDEN:
        return exceptions.PermissionDenied(exc.message, code=exc.code)
    if exc.status == status.HTTP_404_NOT_FOUND:
        return exceptions.NotFound(exc.message, code=exc.code)
    api = StepRefused({"detail": exceptions.ErrorDetail(exc.message, code=exc.code), **exc.extra})
    api.default_code = exc.code
    return api


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Refused):
        exc = _refused(exc)
    elif isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)

    response = exception_handler(exc, context)
    if response is None:
        return None

    data = response.data
    problem: dict[str, Any] = {
        "type": f"about:blank#{getattr(exc, 'default_code', 'error')}",
        "title": str(getattr(exc, "default_detail", "Error")),
        "status": response.status_code,
    }
    if isinstance(exc, exceptions.ValidationError):
        problem["detail"] = _first_message(data)
        problem["errors"] = data
    elif isinstance(data, dict) and "detail" in data:
        problem["detail"] = str(data["detail"])
        code = getattr(data["detail"], "code", None)
        if code:
            problem["code"] = code
        for key, value in data.items():
            if key != "detail":
                problem[key] = value
    else:
        problem["detail"] = data
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
        problem["retry_after"] = getattr(exc, "wait", None)
    response.data = problem
    response.content_type = "application/problem+json"
    return response


def _first_message(data: Any) -> str:
    if isinstance(data, dict):
        for key, value in data.items():
            message = _first_message(value)
            if message:
                return message if key in ("non_field_errors", "detail") else f"{key}: {message}"
    elif isinstance(data, list):
        for value in data:
            message = _first_message(value)
            if message:
                return message
    elif data:
        return str(data)
    return ""

"""Request guards that run before any view (ADR 0080).

- Characters PostgreSQL cannot store, or that no URL needs: a NUL (or another C0 control
  character) in the path, the query string, a form field or a JSON string, and lone UTF-16
  surrogates in JSON, are answered 400 here instead of failing deep in a query as a 500.
- Size: a body larger than the limit for its kind (``MAX_REQUEST_BODY_BYTES`` for JSON and
  forms, ``MAX_UPLOAD_REQUEST_BYTES`` for multipart uploads) is refused with 413 before it is
  read, whichever parser the view would use (DRF's parsers read the stream and would not apply
  Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from portal.errors import error_response

# C0 controls except tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_JSON_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")
_JSON_NUL = re.compile(rb"\\u0000|\x00")


def has_control_characters(value: str) -> bool:
    return bool(_CONTROL.search(value))


def _content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except (TypeError, ValueError):
        return 0


def _walk_strings(value) -> bool:
    """True when a parsed JSON value holds a string with a lone surrogate."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self.check(request)
        if refusal is not None:
            return refusal
        return self.get_response(request)

    def check(self, request: HttpRequest) -> HttpResponse | None:
        if has_control_characters(request.path) or has_control_characters(
            request.META.get("QUERY_STRING", "")
        ):
            return self._bad(request)
        if any(has_control_characters(k + "".join(v)) for k, v in request.GET.lists()):
            return self._bad(request)
        content_type = request.META.get("CONTENT_TYPE", "")
        length = _content_length(request)
        multipart = content_type.startswith("multipart/")
        limit = settings.MAX_UPLOAD_REQUEST_BYTES if multipart else settings.MAX_REQUEST_BODY_BYTES
        if length > limit:
            return error_response(
                request,
                413,
                _("The request is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)},
                code="too_large",
            )
        if not length or request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        return self._check_body(request, content_type, multipart)

    def _check_body(
        self, request: HttpRequest, content_type: str, multipart: bool
    ) -> HttpResponse | None:
        """NUL and lone surrogates in a JSON body's strings, control characters in a form's
        keys and NUL in its values."""
        if "json" in content_type:
            body = request.body
            if _JSON_NUL.search(body):
                return self._bad(request)
            if _JSON_SURROGATE.search(body):
                try:
                    if _walk_strings(json.loads(body)):
                        return self._bad(request)
                except ValueError:
                    return None  # malformed JSON: the parser answers 400 itself
            return None
        if multipart or content_type.startswith("application/x-www-form-urlencoded"):
            for key, values in request.POST.lists():
                if has_control_characters(key) or any(
                    isinstance(v, str) and "\x00" in v for v in values
                ):
                    return self._bad(request)
        return None

    def _bad(self, request: HttpRequest) -> HttpResponse:
        return error_response(
            request,
            400,
            _("The request contains a control character (such as NUL) that is not allowed."),
            code="control_character",
        )

"""The one refusal type of every workflow. The API's exception handler maps it once
(:func:`portal.api.exceptions.problem_exception_handler`); pages show ``message``."""

from __future__ import annotations

from typing import Any


class Refused(Exception):
    """A step that cannot be taken. ``code`` says why in one word, ``step`` names the step,
    ``message`` is for the user, ``extra`` adds fields to the API's problem answer and
    ``status`` is its HTTP status."""

    status = 409
    default_code = "refused"

    def __init__(
        self,
        message: str,
        code: str | None = None,
        *,
        step: str = "",
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = str(message)
        self.code = code or self.default_code
        self.step = step
        self.extra = dict(extra or {})


class NotNow(Refused):
    """Not possible in the record's state now (someone acted first, or a condition fails)."""

    default_code = "not_allowed_now"


class NotAllowed(Refused):
    """Not this user's step."""

    status = 403
    default_code = "forbidden"


class Invalid(Refused):
    """Missing or bad input: ``errors`` holds the messages by field."""

    status = 400
    default_code = "invalid"

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.errors = errors or {"non_field_errors": [self.message]}


class NotFound(Refused):
    """No such record, or no such step."""

    status = 404
    default_code = "not_found"

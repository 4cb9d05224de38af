from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest

from portal.accounts.permissions import is_administrator

from .. import permissions as perms
from .. import selectors
from ..models import LegalAidApplication


def staff_required(view):
    """Legal-aid staff bound to a centre, or administrators (403 otherwise; sign-in first for
    visitors). What each of them sees is the policies' business (``legal_aid.access``)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (perms.is_staff_member(request.user) or is_administrator(request.user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def readable(request: HttpRequest, reference: str) -> LegalAidApplication:
    app = selectors.application_for(request.user, reference)
    if app is None:
        raise Http404
    return app


def apply_errors(form: Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form (on the field when the form has it)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def hotline_required(view):
    """Legal-aid staff, administrators, or a lawyer who answers the 12348 hotline."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        lawyer = perms.lawyer_of(request.user)
        if not (
            perms.is_staff_member(request.user)
            or is_administrator(request.user)
            or (lawyer is not None and lawyer.hotline_duty)
        ):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper

"""The access log: staff opening an application's full record (page, API, file, admin)."""

from __future__ import annotations

from typing import Any

from ..access import is_applicant
from ..models import AccessLog, LegalAidApplication


def log_access(app: LegalAidApplication, user: Any, channel: str = "page") -> None:
    """Staff opened the full record (applicants reading their own are not logged)."""
    if is_applicant(user, app):
        return
    AccessLog.objects.create(application=app, user=user, channel=channel)

"""Uploaded evidence: checked by content and size, attached to a draft, to the application, or
handed in for the centre's materials request."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext

from portal.uploads import check_upload
from portal.workflow import Invalid, NotAllowed, NotNow

from ..access import is_applicant
from ..models import ApplicationDraft, Evidence, LegalAidApplication, State
from .steps import locked


@transaction.atomic
def add_evidence(
    *,
    upload: UploadedFile,
    description: str,
    user: Any,
    draft: ApplicationDraft | None = None,
    application: LegalAidApplication | None = None,
    for_materials_request: bool = False,
) -> Evidence:
    """Check a file's type (by its content, not its name) and size, then store it."""
    content_type = check_upload(upload)
    name = upload.name or ""
    return Evidence.objects.create(
        draft=draft,
        application=application,
        description=description[:120] or name[:120],
        file=upload,
        original_name=name[:200],
        size=upload.size or 0,
        content_type=content_type,
        uploaded_by=user,
        for_materials_request=for_materials_request,
    )


@transaction.atomic
def add_requested_material(
    reference: str, *, user: Any, upload: UploadedFile | None, description: str = ""
) -> Evidence:
    """A file the applicant hands in for the materials request, while the centre waits for it
    (the row is locked, so it cannot slip in after the request lapses)."""
    app = locked(reference)
    if not is_applicant(user, app):
        raise NotAllowed(gettext("You may not take this step on this application."))
    if app.state != State.MATERIALS_REQUESTED:
        raise NotNow(gettext("The centre is not waiting for materials now."), "state_changed")
    if upload is None:
        raise Invalid(
            gettext("Choose a file to upload."), {"file": [gettext("Choose a file to upload.")]}
        )
    return add_evidence(
        upload=upload,
        description=description,
        user=user,
        application=app,
        for_materials_request=True,
    )

"""Checks for uploaded documents (case materials, legal-aid evidence): PDF, JPEG or PNG, judged
by the file's name AND its first bytes, at most 10 MB. One place, so every upload in the portal
is refused for the same reasons with the same messages."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# extension -> (content type, magic bytes the file must start with)
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}

NOT_A_DOCUMENT = _("The file “%(name)s” is not a PDF, JPG or PNG file. Upload a PDF, JPG or PNG.")


def check_upload(upload) -> str:
    """Raise ValidationError unless ``upload`` is a PDF, JPEG or PNG of at most 10 MB.

    Returns the content type to store."""
    name = getattr(upload, "name", "") or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED_TYPES:
        raise ValidationError(NOT_A_DOCUMENT, code="file_type", params={"name": name})
    size = getattr(upload, "size", 0) or 0
    if size == 0:
        raise ValidationError(
            _("The file “%(name)s” is empty."), code="file_empty", params={"name": name}
        )
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file “%(name)s” is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={
                "name": name,
                "size": filesizeformat(size),
                "limit": filesizeformat(MAX_UPLOAD_BYTES),
            },
        )
    content_type, magics = ALLOWED_TYPES[ext]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in magics):
        raise ValidationError(NOT_A_DOCUMENT, code="file_type", params={"name": name})
    return content_type


# ----- kept uploads (ADR 0103) ---------------------------------------------------------------
# A form sent back with errors keeps the files that passed their checks, so that the applicant
# sees "Uploaded: name (size)" and need not choose them again. The drafts are tied to the user
# (or the visitor's session) and to the form, served by no URL, and removed when the form goes
# through or after UPLOAD_DRAFT_HOURS.

UPLOAD_DRAFT_HOURS = 24


def _owner(request) -> dict:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return {"user": user, "session_key": ""}
    session = request.session
    if not session.session_key:
        session.save()
    return {"user": None, "session_key": session.session_key}


def kept_uploads(request, form_key: str) -> dict:
    """The files kept for ``form_key`` (the form's purpose), by field name (one query)."""
    from .models import UploadDraft

    since = timezone.now() - datetime.timedelta(hours=UPLOAD_DRAFT_HOURS)
    drafts = UploadDraft.objects.filter(form=form_key, created_at__gte=since, **_owner(request))
    return {draft.field: draft for draft in drafts.order_by("created_at", "id")}


def draft_file(draft):
    """The kept file as an upload a form or a service takes (name: the applicant's)."""
    from django.core.files.base import ContentFile

    # read whole (at most MAX_UPLOAD_BYTES) and closed at once: a File over the open handle was
    # never closed after the service stored it
    with draft.file.open("rb") as handle:
        return ContentFile(handle.read(), name=draft.original_name)


def keep_uploads(request, form_key: str, form) -> None:
    """After a failed submit: keep each newly chosen file that passed its checks (a newly chosen
    file that failed replaces nothing kept before: the error says why it was refused)."""
    from .models import UploadDraft

    owner = _owner(request)
    for name, upload in form.files.items():
        if name not in form.fields or name in form.errors:
            continue
        try:
            content_type = check_upload(upload)
        except ValidationError:
            continue
        old = list(UploadDraft.objects.filter(form=form_key, field=name, **owner))
        draft = UploadDraft(
            form=form_key,
            field=name,
            original_name=upload.name[:200],
            content_type=content_type,
            size=upload.size,
            **owner,
        )
        upload.seek(0)
        draft.file.save(upload.name, upload, save=False)
        draft.save()
        _delete(old)


def discard_uploads(request, form_key: str) -> None:
    """The form went through: its kept files are no longer needed."""
    from .models import UploadDraft

    _delete(list(UploadDraft.objects.filter(form=form_key, **_owner(request))))


def purge_expired_drafts() -> int:
    """Remove kept uploads older than UPLOAD_DRAFT_HOURS, files and rows (a schedule, hourly)."""
    from .models import UploadDraft

    before = timezone.now() - datetime.timedelta(hours=UPLOAD_DRAFT_HOURS)
    drafts = list(UploadDraft.objects.filter(created_at__lt=before))
    _delete(drafts)
    return len(drafts)


def _delete(drafts) -> None:
    from .models import UploadDraft

    for draft in drafts:
        draft.file.delete(save=False)
    UploadDraft.objects.filter(pk__in=[d.pk for d in drafts]).delete()

"""Checks for uploaded documents (case materials, legal-aid evidence): PDF, JPEG or PNG, judged
by the file's name AND its first bytes, at most 10 MB. One place, so every upload in the portal
is refused for the same reasons with the same messages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
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

"""Evidence uploads: PDF, JPEG or PNG, judged by the file's first bytes, up to 10 MB."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 10 * 1024 * 1024
SIGNATURES = (
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
)


def validate_upload(upload: UploadedFile) -> str:
    """Return the content type, or raise ValidationError with a message the applicant can act
    on."""
    name = (upload.name or "").lower()
    if upload.size is None or upload.size == 0:
        raise ValidationError(
            _("The file “%(name)s” is empty."), params={"name": upload.name}, code="empty"
        )
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The file “%(name)s” is %(size)s MB; files may be at most 10 MB."),
            params={"name": upload.name, "size": f"{upload.size / 1024 / 1024:.1f}"},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type, extensions in SIGNATURES:
        if head.startswith(magic):
            if not name.endswith(extensions):
                break
            return content_type
    raise ValidationError(
        _("The file “%(name)s” is not a PDF, JPG or PNG file. Upload a PDF, JPG or PNG."),
        params={"name": upload.name},
        code="file_type",
    )

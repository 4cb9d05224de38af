"""Handing out a stored private file after the caller's own permission check.

On a node's disk (the default, `make run`) the file is streamed. In object storage (S3_BUCKET
set) the answer is a redirect to a presigned URL valid for MEDIA_URL_SECONDS, with the download
name and type signed into it: the bytes go from the storage to the browser, any web node can
answer, and a URL that leaks stops working within a minute. The objects themselves are private,
so the storage refuses anyone without a signature (ADR 0112)."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header


def private_file_response(
    file: FieldFile, *, filename: str, content_type: str, as_attachment: bool = True
) -> HttpResponse:
    """The answer for a file the caller has been checked to be allowed to read."""
    content_type = content_type or "application/octet-stream"
    if isinstance(file.storage, FileSystemStorage):
        return FileResponse(
            file.open("rb"),
            as_attachment=as_attachment,
            filename=filename,
            content_type=content_type,
        )
    url = file.storage.url(
        file.name,
        parameters={
            "ResponseContentDisposition": content_disposition_header(as_attachment, filename),
            "ResponseContentType": content_type,
        },
        expire=settings.MEDIA_URL_SECONDS,
    )
    response = HttpResponseRedirect(url)
    # the signed URL is for this caller, now: not for caches or the next page's Referer
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response

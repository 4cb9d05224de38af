"""Public pages of the electronic seal: the published CA chain, and verification of a code or
an uploaded PDF (works without JS: a plain multipart form)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from . import keys, selectors, verification
from .forms import VerifyUploadForm


def verdict_context(request: HttpRequest) -> dict[str, Any]:
    """For any verify page: the upload form, and the verdict when a PDF was posted."""
    if request.method != "POST":
        return {"upload_form": VerifyUploadForm()}
    form = VerifyUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return {"upload_form": form}
    verdict = verification.verify_pdf(form.cleaned_data["pdf"])
    return {
        "upload_form": VerifyUploadForm(),
        "verdict": verdict,
        "verdict_messages": verification.messages_of(verdict),
    }


@require_http_methods(["GET", "POST"])
def authorities(request: HttpRequest) -> HttpResponse:
    """The CA chain to download, the authorities' certificates, and an upload to check."""
    return render(
        request,
        "signing/authorities.html",
        {"roots": selectors.published_roots(), **verdict_context(request)},
    )


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """A document by its verification code (any kind), and an upload to check."""
    document = selectors.document_by_code(code)
    return render(
        request,
        "signing/verify.html",
        {
            "document": document,
            "replacement": selectors.replacement_of(document),
            "code": code,
            **verdict_context(request),
        },
        status=200 if document else 404,
    )


def ca_pem(request: HttpRequest) -> HttpResponse:
    """The published CA chain (PEM): what a PDF reader or a third party trusts to check a seal."""
    response = HttpResponse(b"".join(keys.trust_root_pems()), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="qingdao-portal-ca.pem"'
    return response

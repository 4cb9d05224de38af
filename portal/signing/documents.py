"""Issue a templated document in an authority's name: render (with its verification code and
address printed), seal, register, and answer it as a PDF. Domain views call
:func:`signed_pdf_response` where they called ``portal.pdf.pdf_response``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from . import services


def verification_url(code: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("signing:verify", args=[code])


def issue_rendered(
    template_name: str,
    context: dict[str, Any],
    *,
    kind: str,
    subject: str,
    authority: str,
    authority_name: str,
    title: str = "",
    version: str = "",
    request: HttpRequest | None = None,
) -> bytes:
    """The signed PDF of (``kind``, ``subject``): issued once per ``version`` (later requests
    get the same file). The template gets ``verification_code`` and ``verify_url``; an element
    ``id="seal"`` (the authority's name) places the seal. Raises ``SigningFailed``."""
    from portal.pdf import render_pdf

    def render(code: str) -> bytes:
        extra = {"verification_code": code, "verify_url": verification_url(code)}
        return render_pdf(template_name, {**context, **extra}, request)

    _document, data = services.issued_pdf(
        kind=kind,
        subject=subject,
        authority=authority,
        authority_name=authority_name,
        render=render,
        title=title,
        version=version,
    )
    return data


def signed_pdf_response(
    template_name: str,
    context: dict[str, Any],
    filename: str,
    *,
    request: HttpRequest | None = None,
    inline: bool = False,
    **issue: Any,
) -> HttpResponse:
    from portal.pdf import pdf_bytes_response

    data = issue_rendered(template_name, context, request=request, **issue)
    return pdf_bytes_response(data, filename, inline)

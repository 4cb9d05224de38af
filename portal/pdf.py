"""Render a template to PDF bytes with WeasyPrint, Chinese glyphs embedded (Noto Sans CJK SC).

Templates should extend ``pdf/base.html``, which sets ``lang="zh-CN"`` and the CJK font for the
page and its margin boxes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header


def render_pdf(
    template_name: str, context: dict[str, Any] | None = None, request: HttpRequest | None = None
) -> bytes:
    """Render ``template_name`` with ``context`` and return the PDF document as bytes."""
    from weasyprint import HTML

    html = render_to_string(template_name, context or {}, request=request)
    base_url = request.build_absolute_uri("/") if request else settings.PUBLIC_BASE_URL
    return HTML(string=html, base_url=base_url).write_pdf()


def pdf_response(
    template_name: str,
    context: dict[str, Any] | None,
    filename: str,
    request: HttpRequest | None = None,
    inline: bool = False,
) -> HttpResponse:
    """An HTTP response carrying the rendered PDF as a download (or inline)."""
    response = HttpResponse(
        render_pdf(template_name, context, request), content_type="application/pdf"
    )
    # RFC 6266/5987: a Chinese file name must travel as filename*=utf-8''..., not raw.
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response

"""Render a template to PDF bytes with WeasyPrint, Chinese glyphs embedded (Noto Sans CJK SC).

Templates should extend ``pdf/base.html``, which sets ``lang="zh-CN"`` and the CJK font for the
page and its margin boxes."""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

# WeasyPrint allocates millions of short-lived objects: fewer collections while it typesets
from portal.collector import fewer_collections


def render_pdf(
    template_name: str, context: dict[str, Any] | None = None, request: HttpRequest | None = None
) -> bytes:
    """Render ``template_name`` with ``context`` and return the PDF document as bytes."""
    from weasyprint import HTML

    html = render_to_string(template_name, context or {}, request=request)
    base_url = request.build_absolute_uri("/") if request else settings.PUBLIC_BASE_URL
    with fewer_collections():
        return HTML(string=html, base_url=base_url).write_pdf(font_config=_font_config())


_fonts = threading.local()


def _font_config() -> Any:
    """One WeasyPrint font configuration per thread, kept: a new one per render (WeasyPrint's
    default) leaves its Pango font map behind, about 0.2 MB a render, 110 MB over 500
    certificates in a worker (ADR 0097). Per thread, as Pango's font maps are not shared
    between threads; the portal's templates add no @font-face, so it does not grow."""
    config = getattr(_fonts, "config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _fonts.config = FontConfiguration()
    return config


def pdf_response(
    template_name: str,
    context: dict[str, Any] | None,
    filename: str,
    request: HttpRequest | None = None,
    inline: bool = False,
) -> HttpResponse:
    """An HTTP response carrying the rendered PDF as a download (or inline)."""
    return pdf_bytes_response(render_pdf(template_name, context, request), filename, inline)


def pdf_bytes_response(pdf: bytes, filename: str, inline: bool = False) -> HttpResponse:
    """An HTTP response carrying ``pdf`` (already rendered, e.g. from a cache) as a download
    (or inline)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    # RFC 6266/5987: a Chinese file name must travel as filename*=utf-8''..., not raw.
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response

"""Exports of a handling list (or any item queryset) as CSV, XLSX and PDF.

Columns are labelled in the page's language; item and department names follow it too (the
Chinese name is always included)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal import tables
from portal.catalogue import selectors
from portal.catalogue.forms import CHANNEL_CHOICES, local_name
from portal.catalogue.models import ServiceItem


def header() -> list[str]:
    return [
        _("Item code"),
        _("Name"),
        _("English name"),
        _("Domain"),
        _("Kind"),
        _("Competent department"),
        _("Department level"),
        _("Promised time limit (working days)"),
        _("Legal time limit (working days)"),
        _("Fee (yuan)"),
        _("Channels"),
        _("Visits needed"),
        _("Added on"),
    ]


def rows(items: Iterable[ServiceItem]) -> Iterator[list[Any]]:
    channels = dict(CHANNEL_CHOICES)
    for item in items:
        added = getattr(item, "added_on", None)
        yield [
            item.code,
            item.name,
            item.name_en,
            item.get_domain_display(),
            item.get_kind_display(),
            local_name(item.department),
            item.department.get_level_display(),
            item.promised_limit_days,
            item.legal_limit_days,
            item.fee,
            "、".join(str(channels[c]) for c in item.channels),
            item.visits_required,
            added.isoformat() if added else "",
        ]


def table(items: QuerySet[ServiceItem]) -> Iterator[list[Any]]:
    """The header, then one row per item (streamed from the database in chunks)."""
    yield header()
    yield from rows(items.iterator(chunk_size=500))


def csv_response(items: QuerySet[ServiceItem], filename: str) -> HttpResponse:
    return tables.csv_response(table(items), filename)


def xlsx_response(items: QuerySet[ServiceItem], filename: str, title: str) -> HttpResponse:
    return tables.xlsx_response(table(items), filename, title)


PDF_CACHE_SECONDS = 24 * 3600


def list_pdf_cache_key(kind: str, query: str) -> str:
    """The cache key of a list's PDF: it changes with the list's contents, the filters
    (``query``), the page's language and the date printed on the PDF."""
    parts = [
        kind,
        get_language() or "",
        str(timezone.localdate()),
        selectors.list_fingerprint(kind),
        query,
    ]
    return "catalogue-list-pdf:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def pdf_response(
    items: QuerySet[ServiceItem],
    filename: str,
    context: dict[str, Any],
    request: HttpRequest,
    cache_key: str | None = None,
) -> HttpResponse:
    """The list as a PDF. A long list takes seconds to typeset, so with ``cache_key`` (which
    must change when the list does) the bytes are kept in the cache for a day."""
    from portal.pdf import pdf_bytes_response, render_pdf

    pdf = cache.get(cache_key) if cache_key else None
    if pdf is None:
        pdf = render_pdf(
            "catalogue/pdf/list.html",
            {**context, "items": list(items), "header": header()},
            request=request,
        )
        if cache_key:
            cache.set(cache_key, pdf, PDF_CACHE_SECONDS)
    return pdf_bytes_response(pdf, filename)

"""Statistics with CSV and XLSX exports: a centre's staff see their centre's figures, the
justice bureau its centres', administrators all (``legal_aid.access.statistics_q``)."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from portal import tables
from portal.privatepage import private_page

from ..access import StatisticsScope, statistics_q
from ..forms import StatisticsFilter
from ..statistics import CACHE_SECONDS, cached_statistics, export_rows, statistics_key, with_bars


def _guard(request: HttpRequest) -> StatisticsScope | HttpResponse:
    """The viewer's scope (``statistics_q``), or the answer to give instead."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    scope = statistics_q(request.user)
    if scope is None:
        raise PermissionDenied
    return scope


def _stats(request: HttpRequest, scope: StatisticsScope):
    """The filter form, the figures and their cache key (None: not to be cached)."""
    form = StatisticsFilter(request.GET or None)
    date_from = date_to = None
    if form.is_valid():
        date_from = form.cleaned_data.get("date_from")
        date_to = form.cleaned_data.get("date_to")
    key = statistics_key(date_from, date_to, scope)
    return form, lambda: cached_statistics(date_from, date_to, scope=scope, key=key), key


def page(request: HttpRequest) -> HttpResponse:
    scope = _guard(request)
    if isinstance(scope, HttpResponse):
        return scope
    form, figures, key = _stats(request, scope)
    # the key holds the statistics' version, read before the figures (ADR 0123)
    parts = None if key is None else ("legal_aid:statistics", key)
    return private_page(request, parts, lambda: _page(request, form, figures(), key))


def _page(request: HttpRequest, form: StatisticsFilter, stats: dict, key: str | None):
    with_bars(stats["by_month"], "applications")
    with_bars(stats["by_centre"], "applications")
    with_bars(stats["by_category"], "applications")
    with_bars(stats["hotline_by_month"], "calls")
    for name in ("by_sex", "by_age_band", "by_recipient_group"):
        with_bars(stats[name], "applications")
    with_bars(stats["by_lawyer"], "assigned")
    with_bars(stats["by_firm"], "assigned")
    with_bars(stats["hotline_by_service"], "calls")
    with_bars(stats["survey"]["answers"], "calls")
    query = request.GET.urlencode()
    recipient_tables = [
        {"id": "by-sex", "title": _("By sex"), "column": _("Sex"), "rows": stats["by_sex"]},
        {
            "id": "by-age-band",
            "title": _("By age band"),
            "column": _("Age"),
            "rows": stats["by_age_band"],
        },
        {
            "id": "by-group",
            "title": _("By recipient group"),
            "column": _("Group"),
            "rows": stats["by_recipient_group"],
        },
    ]
    return render(
        request,
        "legal_aid/statistics.html",
        {
            "form": form,
            "stats": stats,
            "query": query,
            "recipient_tables": recipient_tables,
            # the rendered tables are kept under the figures' own key (0 seconds: not kept)
            "fragment_key": key or "",
            "fragment_seconds": CACHE_SECONDS if key else 0,
        },
    )


def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    scope = _guard(request)
    if isinstance(scope, HttpResponse):
        return scope
    _form, figures, _key = _stats(request, scope)
    rows = export_rows(figures())
    filename = f"legal-aid-statistics.{fmt}"
    if fmt == "csv":
        return tables.csv_response(rows, filename)
    return tables.xlsx_response(rows, filename, "statistics")

"""Statistics with CSV and XLSX exports: a centre's staff see their centre's figures, the
justice bureau its centres', administrators all (``legal_aid.access.statistics_q``)."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from portal import tables

from .. import permissions as perms
from ..access import statistics_q
from ..forms import StatisticsFilter
from ..statistics import export_rows, statistics, with_bars


def _guard(request: HttpRequest):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not perms.can_view_statistics(request.user):
        raise PermissionDenied
    return None


def _stats(request: HttpRequest):
    form = StatisticsFilter(request.GET or None)
    date_from = date_to = None
    if form.is_valid():
        date_from = form.cleaned_data.get("date_from")
        date_to = form.cleaned_data.get("date_to")
    return form, statistics(date_from, date_to, scope=statistics_q(request.user))


def page(request: HttpRequest) -> HttpResponse:
    denied = _guard(request)
    if denied:
        return denied
    form, stats = _stats(request)
    with_bars(stats["by_month"], "applications")
    with_bars(stats["by_centre"], "applications")
    with_bars(stats["by_category"], "applications")
    with_bars(stats["hotline_by_month"], "calls")
    query = request.GET.urlencode()
    return render(
        request, "legal_aid/statistics.html", {"form": form, "stats": stats, "query": query}
    )


def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    denied = _guard(request)
    if denied:
        return denied
    _form, stats = _stats(request)
    rows = export_rows(stats)
    filename = f"legal-aid-statistics.{fmt}"
    if fmt == "csv":
        return tables.csv_response(rows, filename)
    return tables.xlsx_response(rows, filename, "statistics")

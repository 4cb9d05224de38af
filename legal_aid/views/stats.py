"""Statistics for the justice bureau, with CSV and XLSX exports."""

from __future__ import annotations

import csv
import io

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .. import permissions as perms
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
    return form, statistics(date_from, date_to)


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
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 CSV with Chinese correctly with a BOM
        csv.writer(buffer).writerows(rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="legal-aid-statistics.csv"'
        return response
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("statistics")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="legal-aid-statistics.xlsx"'
    return response

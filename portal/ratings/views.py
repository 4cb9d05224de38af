from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


def statistics(request: HttpRequest) -> HttpResponse:
    """Public statistics (好差评公示): by department and by service item."""
    items = Paginator(selectors.statistics_by_item(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "ratings/statistics.html",
        {
            "overall": selectors.overall(),
            "departments": list(selectors.statistics_by_department()),
            "page_obj": items,
        },
    )

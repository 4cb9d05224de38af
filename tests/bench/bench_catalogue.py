"""Catalogue benchmarks: the catalogue page, a search and the items API, at demo-data size and at
ten times the items, next to a bare Django view measured in the same run (as a ratio).

The extra items are copies of the demo items (same departments, a quarter of them put on the
city-wide list) created with bulk inserts, and deleted again at the end so the other bench
modules see the demo data only."""

from __future__ import annotations

import datetime
from urllib.parse import quote

from django.core.cache import cache
from django.db import transaction

from portal.catalogue.models import HandlingList, ListEntry, ListKind, ServiceItem
from tests.bench.util import (
    BenchError,
    bare_view_timing,
    client,
    scale,
    time_callable,
    time_view,
)

PREFIX = "BENCH10X-"
VIEWS = [
    ("catalogue page", "/items/"),
    ("catalogue page, filtered", "/items/?domain=social_insurance&city_wide=on&page=2"),
    ("search 社保", f"/search/?q={quote('社保')}"),
    # three characters: PostgreSQL answers it from the trigram index (ADR 0013)
    ("search 公积金", f"/search/?q={quote('公积金')}"),
    ("items API", "/api/v1/items/"),
    ("items API search 公积金", f"/api/v1/items/?q={quote('公积金')}&city_wide=true"),
]


def grow_tenfold() -> int:
    """Add nine copies of every item (one in the short form); returns the new item count."""
    base = list(
        ServiceItem.objects.exclude(code__startswith=PREFIX).values(
            "name", "name_en", "domain", "kind", "department_id", "keywords", "legal_limit_days",
            "promised_limit_days", "online", "self_service", "mobile", "visits_required",
            "popularity", "search_text",
        )
    )  # fmt: skip
    city_wide = HandlingList.objects.filter(kind=ListKind.CITY_WIDE).first()
    with transaction.atomic():
        for copy in range(1, scale(10, 2)):
            created = ServiceItem.objects.bulk_create(
                [
                    ServiceItem(code=f"{PREFIX}{copy}-{n:05d}", **{**row, "popularity": 0})
                    for n, row in enumerate(base)
                ],
                batch_size=2000,
            )
            if city_wide is not None:
                ids = ServiceItem.objects.filter(code__startswith=f"{PREFIX}{copy}-").values_list(
                    "id", flat=True
                )
                ListEntry.objects.bulk_create(
                    [
                        ListEntry(
                            handling_list=city_wide, item_id=item_id,
                            added_on=datetime.date(2021, 6, 30),
                        )
                        for n, item_id in enumerate(ids)
                        if n % 4 == 0
                    ],
                    batch_size=2000,
                )  # fmt: skip
            del created
    return ServiceItem.objects.count()


def shrink() -> None:
    with transaction.atomic():
        ListEntry.objects.filter(item__code__startswith=PREFIX).delete()
        ServiceItem.objects.filter(code__startswith=PREFIX).delete()


def measure(report, size: str, n: int) -> None:
    c = client()
    baseline = bare_view_timing(c)
    for label, url in VIEWS:
        timing = time_view(c, url, n=n)
        report.line(f"{label} ({size}) median", timing.median_ms, "ms")
        report.line(f"{label} ({size}) p95", timing.p95_ms, "ms")
        report.line(f"{label} ({size}) queries", timing.queries, "per request")
        report.line(f"{label} ({size}) / bare view", timing.ratio(baseline), "x")


def time_list_pdf(n: int = 3) -> float:
    """The city-wide list (699 items, 27 pages) as PDF on a cold cache, median of ``n``."""
    c = client()

    def call() -> None:
        cache.clear()  # the PDF is cached per list state, language, filters and day
        response = c.get("/lists/city_wide/export.pdf")
        if response.status_code != 200:
            raise BenchError(f"list PDF answered {response.status_code}")

    return time_callable(call, n=n, warmup=1).median_ms


def run(report, n: int = 40) -> None:
    shrink()  # a previous run that failed half-way
    baseline = bare_view_timing(client())
    report.line("bare Django view median (baseline)", baseline.median_ms, "ms")
    report.line("bare Django view p95 (baseline)", baseline.p95_ms, "ms")
    items = ServiceItem.objects.count()
    report.line("items at demo size", items, "items")
    measure(report, "demo size", n)
    report.line("city-wide list PDF, first request (demo size) median", time_list_pdf(), "ms")
    try:
        report.line("items at 10x", grow_tenfold(), "items")
        measure(report, "10x items", n)
    finally:
        shrink()

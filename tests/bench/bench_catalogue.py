"""Catalogue benchmarks: the catalogue page, searches and the items API, at demo-data size and at
ten times the items, next to a bare Django view measured in the same run (as a ratio); the
searches also past the page cache, with their p50 at both sizes and its ratio (ADR 0108).

The extra items are copies of the demo items (same departments, a quarter of them put on the
city-wide list) created with bulk inserts, and deleted again at the end so the other bench
modules see the demo data only."""

from __future__ import annotations

import datetime
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from portal.catalogue.models import HandlingList, ListEntry, ListKind, ServiceItem
from tests.bench.util import (
    BenchError,
    Timing,
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


# Searches (ADR 0108), timed past the page cache (a visitor with a session cookie is served
# fresh): the everyday words, a grouped service, segmentation, pinyin, a typo and the API.
SEARCHES = [
    ("search 社保", f"/search/?q={quote('社保')}"),
    ("search 结婚 (one row, 11 districts)", f"/search/?q={quote('结婚')}"),
    ("search 营业执照变更", f"/search/?q={quote('营业执照变更')}"),
    ("search 生孩子", f"/search/?q={quote('生孩子')}"),
    ("search shebao", "/search/?q=shebao"),
    ("search 社宝 (typo, corrected)", f"/search/?q={quote('社宝')}"),
    ("search passport", "/search/?q=passport"),
    ("search API 营业执照", f"/api/v1/search/?q={quote('营业执照')}"),
]


def measure_search(report, size: str, n: int) -> Timing:
    """Each search ``n`` times; one line each, and all of them together: the search p50."""
    c = client()
    c.cookies[settings.SESSION_COOKIE_NAME] = "bench-past-the-page-cache"
    samples: list[float] = []
    cpu: list[float] = []
    for label, url in SEARCHES:
        timing = time_view(c, url, n=n)
        samples += timing.samples_ms
        cpu += timing.cpu_ms
        report.line(f"{label} ({size}, uncached) median", timing.median_ms, "ms")
        report.line(f"{label} ({size}, uncached) queries", timing.queries, "per request")
    together = Timing(samples_ms=samples, cpu_ms=cpu)
    report.line(f"search p50, all searches ({size})", together.median_ms, "ms")
    report.line(f"search p50 CPU, all searches ({size})", together.cpu_median_ms, "ms")
    return together


def grow_tenfold() -> int:
    """Add nine copies of every item (one in the short form); returns the new item count."""
    base = list(
        ServiceItem.objects.exclude(code__startswith=PREFIX).values(
            "name", "name_en", "domain", "kind", "department_id", "keywords", "legal_limit_days",
            "promised_limit_days", "online", "self_service", "mobile", "visits_required",
            "popularity", "search_text", "search_tokens", "search_name_tokens",
            "search_keyword_tokens", "basic_id",
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
    seed = measure_search(report, "demo size", n)
    report.line("city-wide list PDF, first request (demo size) median", time_list_pdf(), "ms")
    try:
        report.line("items at 10x", grow_tenfold(), "items")
        measure(report, "10x items", n)
        tenfold = measure_search(report, "10x items", n)
        report.line("search p50 at 10x / at demo size", tenfold.median_ms / seed.median_ms, "x")
        report.line(
            "search p50 CPU at 10x / at demo size",
            tenfold.cpu_median_ms / seed.cpu_median_ms if seed.cpu_median_ms else 0.0,
            "x",
        )
    finally:
        shrink()

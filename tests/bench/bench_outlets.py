"""Outlets: the finder ("outlets offering item X nearest to a point") over the demo data (550
outlets) and at 10x (4,950 more outlets with lists, created here and rolled back), the outlet
page, and publishing a 900-item list."""

from __future__ import annotations

import datetime
import random
import time

from django.db import connection, transaction
from django.utils import timezone

from outlets import demo, services
from outlets.models import ItemListEntry, ItemListVersion, OpeningHours, Outlet, Terminal
from portal.accounts.models import Role, User
from portal.catalogue.models import ServiceItem
from tests.bench.util import client, scale, time_view

POINT = (36.0671, 120.3826)  # the city seat
N = 40


def _item() -> ServiceItem:
    """The item on the most lists (the social-insurance certificate in the demo)."""
    named = ServiceItem.objects.filter(self_service=True, name__contains="社会保险参保证明").first()
    return named or ServiceItem.objects.filter(self_service=True).order_by("code").first()


def _finder(report, c, item: ServiceItem, label: str) -> None:
    lat, lng = POINT
    page = time_view(c, f"/outlets/?item={item.code}&lat={lat}&lng={lng}", n=N)
    report.line(f"outlet finder page ({label}) median", page.median_ms, "ms")
    report.line(f"outlet finder page ({label}) p95", page.p95_ms, "ms")
    report.line(f"outlet finder page ({label}) queries", page.queries, "per request")
    api = time_view(c, f"/api/v1/outlets/?item={item.code}&near={lat},{lng}", n=N)
    report.line(f"outlet finder API ({label}) median", api.median_ms, "ms")
    report.line(f"outlet finder API ({label}) p95", api.p95_ms, "ms")
    report.line(f"outlet finder API ({label}) queries", api.queries, "per request")
    radius = time_view(
        c, f"/api/v1/outlets/?item={item.code}&near={lat},{lng}&radius_km=5&open_now=true", n=N
    )
    report.line(f"outlet finder API, 5 km + open now ({label}) median", radius.median_ms, "ms")
    report.line(f"outlet finder API, 5 km + open now ({label}) p95", radius.p95_ms, "ms")


def _outlet_page(report, c) -> None:
    biggest = ItemListVersion.objects.filter(status="published").order_by("-entry_count").first()
    code = biggest.outlet.code if biggest else "QD-GOV-001"
    page = time_view(c, f"/outlets/{code}/", n=N)
    items = biggest.entry_count if biggest else 0
    report.line(f"outlet page ({items} items) median", page.median_ms, "ms")
    report.line(f"outlet page ({items} items) p95", page.p95_ms, "ms")
    report.line(f"outlet page ({items} items) queries", page.queries, "per request")


def _publish(report) -> None:
    items = list(
        ServiceItem.objects.filter(self_service=True, is_active=True)
        .order_by("code")
        .values_list("code", flat=True)[:901]
    )
    if len(items) < 901:
        report.line("publish a 900-item list", "skipped (fewer than 901 self-service items)")
        return
    outlet = Outlet.objects.create(
        code="BENCH-PUBLISH", name="基准测试网点", kind="service_hall", operator="government",
        district_id="370202", address="基准测试", latitude=POINT[0], longitude=POINT[1],
    )  # fmt: skip
    terminals = [
        Terminal.objects.create(outlet=outlet, code=f"BENCH-PUBLISH-T{n}", model="基准")
        for n in (1, 2)
    ]
    manager, _ = User.objects.get_or_create(
        username="bench_outlet_manager", defaults={"role": Role.OUTLET_MANAGER}
    )
    outlet.manager_links.create(user=manager)
    # a draft of 900 items, a third of them on one terminal only
    csv = "\n".join(
        f"{code},{terminals[0].code}" if n % 3 == 0 else code for n, code in enumerate(items[:900])
    )
    started = time.perf_counter()
    services.import_items(outlet, csv.encode(), "bench.csv", user=manager)
    report.line("import a 900-row CSV into a draft", (time.perf_counter() - started) * 1000, "ms")
    spare = ServiceItem.objects.get(code=items[900])
    samples = []
    today = timezone.localdate()
    for n in range(6):
        if n % 2:
            services.remove_item(outlet, spare, user=manager)
        else:
            services.add_item(outlet, spare, user=manager)
        started = time.perf_counter()
        version = services.publish(outlet, user=manager, effective_date=today).version
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    report.line(
        f"publish a {version.entry_count}-item list median", samples[len(samples) // 2], "ms"
    )
    report.line(f"publish a {version.entry_count}-item list max", samples[-1], "ms")


def _grow(item: ServiceItem, extra: int = 4950, list_size: int = 120) -> None:
    """``extra`` more outlets around the district seats, each with hours and a published list of
    ``list_size`` items (half of them with ``item``)."""
    rng = random.Random(7)
    regions = demo._load_regions()
    districts = list(regions)
    pool = list(
        ServiceItem.objects.filter(self_service=True)
        .exclude(pk=item.pk)
        .values_list("pk", flat=True)
    )
    outlets = Outlet.objects.bulk_create(
        [
            Outlet(
                code=f"BENCH-{n:05d}", name=f"基准网点{n}", kind="bank_branch",
                operator=("icbc", "ccb", "rcb")[n % 3], district_id=districts[n % 10],
                address="基准测试地址",
                latitude=float(regions[districts[n % 10]].latitude) + rng.gauss(0, 0.08),
                longitude=float(regions[districts[n % 10]].longitude) + rng.gauss(0, 0.1),
                calendar="weekly",
            )
            for n in range(extra)
        ],
        batch_size=1000,
    )  # fmt: skip
    if any(o.pk is None for o in outlets):
        outlets = list(Outlet.objects.filter(code__startswith="BENCH-0"))
    # raw parameters: SQLite's driver binds no datetime.time, so the backend adapts them
    opens = connection.ops.adapt_timefield_value(datetime.time(9))
    closes = connection.ops.adapt_timefield_value(datetime.time(17))
    demo._insert(
        OpeningHours,
        ("outlet_id", "weekday", "opens", "closes"),
        [(o.pk, d, opens, closes) for o in outlets for d in range(7)],
    )
    now = timezone.now()
    versions = ItemListVersion.objects.bulk_create(
        [
            ItemListVersion(
                outlet=o, status="published", number=1, effective_date=datetime.date(2026, 1, 1),
                published_at=now, entry_count=list_size,
            )
            for o in outlets
        ],
        batch_size=1000,
    )  # fmt: skip
    if any(v.pk is None for v in versions):
        versions = list(ItemListVersion.objects.filter(outlet__code__startswith="BENCH-0"))
    rows = []
    for n, version in enumerate(versions):
        chosen = rng.sample(pool, list_size - 1) + ([item.pk] if n % 2 == 0 else [pool[-1]])
        rows.extend((version.pk, i) for i in set(chosen))
    demo._insert(ItemListEntry, ("version_id", "item_id"), rows)


def run(report) -> None:
    c = client()
    item = _item()
    outlets = Outlet.objects.count()
    entries = ItemListEntry.objects.count()
    report.line("outlets (demo)", outlets, "")
    report.line("list entries (demo)", entries, "")
    _finder(report, c, item, f"{outlets} outlets")
    _outlet_page(report, c)
    with transaction.atomic():
        _publish(report)
        transaction.set_rollback(True)
    with transaction.atomic():
        started = time.perf_counter()
        _grow(item, extra=scale(4950, 50))
        report.line("create 4,950 more outlets with lists", time.perf_counter() - started, "s")
        report.line("outlets (10x)", Outlet.objects.count(), "")
        report.line("list entries (10x)", ItemListEntry.objects.count(), "")
        _finder(report, c, item, f"{Outlet.objects.count()} outlets")
        transaction.set_rollback(True)

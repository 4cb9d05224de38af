"""Legal aid at scale: the statistics page and API with 200,000 applications (median, p95,
query count) and a centre's worklist.

The 200,000 applications are made in the database itself: the demo's year (about 15,700) is
copied with one INSERT ... SELECT per batch of copies (new references, no applicant account),
so the set-up takes seconds, not minutes. Without the demo data, a year is generated first.
The copies pass the statistics rollup's triggers like any writer (ADR 0100); the bench checks
that the rollup then equals a rebuild, and that each page makes as many queries at 200,000
applications as at the demo's size (it fails otherwise: a figure that grows is not a figure).

``BENCH_SHORT`` (the CI form, ``python -m tests.bench --short``): the demo's size only."""

from __future__ import annotations

import time

from django.db import connection, transaction
from django.test import override_settings

from legal_aid.models import LegalAidApplication, StaffMembership
from tests.bench.util import (
    bare_view_timing,
    client,
    in_process_database,
    time_callable,
    time_view,
)

TARGET = 200_000


def _seed_year() -> None:
    """The demo's year of applications, when the demo was not loaded."""
    from legal_aid import demo

    demo.load()


def _copy_to(target: int) -> int:
    """Copy the existing applications until there are ``target``; returns how many exist."""
    total = LegalAidApplication.objects.count()
    if total >= target:
        return total
    base = LegalAidApplication.objects.filter(reference__startswith="FYDEMO").count()
    if base == 0:
        _seed_year()
        base = LegalAidApplication.objects.filter(reference__startswith="FYDEMO").count()
        total = LegalAidApplication.objects.count()
    fields = [
        f.column
        for f in LegalAidApplication._meta.concrete_fields
        if f.column not in ("id", "reference", "applicant_id", "consultation_id")
    ]
    columns = ", ".join(fields)
    table = LegalAidApplication._meta.db_table
    copy = 0
    with transaction.atomic(), connection.cursor() as cursor:
        while total < target:
            copy += 1
            need = min(base, target - total)
            # a new reference per copy: FYDEMO000123 -> FYB01000123
            cursor.execute(
                f"INSERT INTO {table} (reference, applicant_id, consultation_id, {columns}) "
                f"SELECT %s || SUBSTR(reference, 7), NULL, NULL, {columns} FROM {table} "
                "WHERE reference LIKE 'FYDEMO%%' ORDER BY id LIMIT %s",
                [f"FYB{copy:02d}", need],
            )
            total += need
    analyze(table)
    return total


def analyze(table: str) -> None:
    """Fresh planner statistics after the bulk load, as autovacuum would gather (PostgreSQL:
    and a fresh visibility map, for index-only scans)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"VACUUM ANALYZE {table}")
            cursor.execute("VACUUM ANALYZE legal_aid_applicationrollup")
        else:
            cursor.execute("ANALYZE")


def check_rollup(report) -> None:
    """The rollups kept by the triggers through the bulk copy (the applications', the
    recipients' and the lawyers', ADR 0100 and issue 18) are the rollups a rebuild makes."""
    from legal_aid import rollups

    def rows() -> list[tuple]:
        found: list[tuple] = []
        for spec in rollups.SPECS:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {', '.join((*spec.key_columns, *spec.counters))} FROM {spec.table} "
                    f"WHERE NOT ({' AND '.join(f'{c} = 0' for c in spec.counters)})"
                )
                found += sorted((spec.name, *row) for row in cursor.fetchall())
        return found

    kept = rows()
    with transaction.atomic():
        started = time.perf_counter()
        rollups.rebuild()
        report.line(
            "legal aid: rollup rebuild (one INSERT ... SELECT)", time.perf_counter() - started, "s"
        )
        rebuilt = rows()
        transaction.set_rollback(True)
    if kept != rebuilt:
        raise AssertionError("the statistics rollup kept by the triggers differs from a rebuild")
    report.line("legal aid: rollup groups (kept = rebuilt)", len(kept), "")


def _same_queries(label: str, small: int, large: int) -> None:
    if small != large:
        raise AssertionError(f"{label}: {small} queries at the demo's size, {large} at 200,000")


PAGES = [
    ("legal aid statistics page", "bureau", "/legal-aid/statistics/", 15),
    ("legal aid statistics API", "bureau", "/api/v1/legal-aid/statistics/", 15),
    (
        "legal aid statistics page, one month",
        "bureau",
        "/legal-aid/statistics/?date_from={m0}&date_to={m1}",
        15,
    ),
    ("legal aid statistics page, 45 days", "bureau", "/legal-aid/statistics/?date_from={d45}", 15),
    ("legal aid statistics page, all centres", "admin", "/legal-aid/statistics/", 15),
    ("legal aid statistics CSV export", "bureau", "/legal-aid/statistics/export.csv", 15),
    ("legal aid worklist (Laixi)", "staff", "/legal-aid/staff/", 40),
    ("legal aid worklist, overdue filter", "staff", "/legal-aid/staff/?overdue=1", 40),
    ("legal aid worklist, all states", "staff", "/legal-aid/staff/?state=all", 40),
    (
        "legal aid worklist, all states, page 100",
        "staff",
        "/legal-aid/staff/?state=all&page=100",
        40,
    ),
]


def _clients() -> dict[str, object]:
    from django.contrib.auth import get_user_model

    bureau = StaffMembership.objects.select_related("user").filter(role="bureau").first()
    staff = (
        StaffMembership.objects.select_related("user", "centre")
        .filter(role="staff", centre__code="LA370285")
        .first()
    )
    admin = get_user_model().objects.filter(is_superuser=True).first()
    clients = {}
    for name, user in (("bureau", bureau.user), ("staff", staff.user), ("admin", admin)):
        c = client()
        c.force_login(user)
        clients[name] = c
    return clients


def _urls() -> dict[str, str]:
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    last_month_end = today.replace(day=1) - datetime.timedelta(days=1)
    values = {
        "m0": last_month_end.replace(day=1).isoformat(),
        "m1": last_month_end.isoformat(),
        "d45": (today - datetime.timedelta(days=45)).isoformat(),
    }
    return {label: url.format(**values) for label, _who, url, _n in PAGES}


def _changed() -> None:
    """A write the statistics' version sees (one statement on a centre): the next view
    computes the figures again instead of reading them from the cache."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE legal_aid_centre SET code = code "
            "WHERE id = (SELECT MIN(id) FROM legal_aid_centre)"
        )


def measure(report, size: str) -> dict[str, int]:
    # the pages rendered every time: a staff page kept whole per viewer (ADR 0123) would be
    # measured from the cache after its first view; that path has a line of its own (run())
    with override_settings(PRIVATE_PAGE_CACHE=False):
        return _measure(report, size)


def _measure(report, size: str) -> dict[str, int]:
    clients, urls, queries = _clients(), _urls(), {}
    for label, who, _url, n in PAGES:
        t = time_view(clients[who], urls[label], n=n, warmup=2)
        report.line(f"{label} ({size}) median", t.median_ms, "ms")
        report.line(f"{label} ({size}) p95", t.p95_ms, "ms")
        if in_process_database():
            report.line(f"{label} ({size}) CPU median", t.cpu_median_ms, "ms")
        report.line(f"{label} ({size}) queries", t.queries, "per request")
        queries[label] = t.queries
    # the figures are cached per change (legal_aid.statistics.cached_statistics): what the first
    # view after a change costs, each time after a write
    # the worklist keeps its count and page order under the same version (ADR 0122)
    for label, who, _url, n in PAGES[:1] + PAGES[4:5] + PAGES[6:7] + PAGES[9:10]:
        viewer, url = clients[who], urls[label]

        def first_view(viewer=viewer, url=url) -> None:
            _changed()
            response = viewer.get(url)
            if response.status_code != 200:
                raise AssertionError(f"GET {url} answered {response.status_code}")

        t = time_callable(first_view, n=n, warmup=1)
        report.line(f"{label}, first view after a change ({size}) median", t.median_ms, "ms")
        report.line(f"{label}, first view after a change ({size}) queries", t.queries, "")
    return queries


def run(report) -> None:
    import os

    short = bool(os.environ.get("BENCH_SHORT"))
    report.line("legal aid: applications (demo size)", LegalAidApplication.objects.count(), "")
    small = measure(report, "demo size")
    check_rollup(report)
    if short:
        return
    started = time.perf_counter()
    total = _copy_to(TARGET)
    report.line("legal aid: applications in the database", total, "")
    report.line("legal aid: set-up (copy to 200,000)", time.perf_counter() - started, "s")
    check_rollup(report)
    staff = StaffMembership.objects.filter(role="staff", centre__code="LA370285").first()
    visible = LegalAidApplication.objects.filter(competent_centre_id=staff.centre_id).count()
    report.line("legal aid: Laixi centre's applications", visible, "")
    large = measure(report, "200k")
    for label, count in small.items():
        _same_queries(label, count, large[label])
    w = _clients()["staff"]
    with override_settings(PRIVATE_PAGE_CACHE=False):
        worklist = time_view(w, "/legal-aid/staff/", n=40)
    report.line("legal aid worklist / bare view", worklist.ratio(bare_view_timing(w)), "x")
    kept = time_view(w, "/legal-aid/staff/", n=40)
    report.line("legal aid worklist, page kept for its viewer (200k) median", kept.median_ms, "ms")
    report.line("legal aid worklist, page kept for its viewer (200k) queries", kept.queries, "")

"""Legal aid at scale: the statistics page and API with 200,000 applications (median, p95,
query count) and a centre's worklist.

The 200,000 applications are made in the database itself: the demo's year (about 15,700) is
copied with one INSERT ... SELECT per batch of copies (new references, no applicant account),
so the set-up takes seconds, not minutes. Without the demo data, a year is generated first."""

from __future__ import annotations

import time

from django.db import connection, transaction

from legal_aid.models import LegalAidApplication, StaffMembership
from tests.bench.util import bare_view_timing, client, time_view

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
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {table}")  # fresh visibility map: index-only scans
    return total


def run(report) -> None:
    started = time.perf_counter()
    total = _copy_to(TARGET)
    report.line("legal aid: applications in the database", total, "")
    report.line("legal aid: set-up (copy to 200,000)", time.perf_counter() - started, "s")

    bureau = StaffMembership.objects.select_related("user").filter(role="bureau").first()
    staff = (
        StaffMembership.objects.select_related("user", "centre")
        .filter(role="staff", centre__code="LA370285")
        .first()
    )
    c = client()
    c.force_login(bureau.user)
    page = time_view(c, "/legal-aid/statistics/", n=15, warmup=2)
    report.line("legal aid statistics page (200k) median", page.median_ms, "ms")
    report.line("legal aid statistics page (200k) p95", page.p95_ms, "ms")
    report.line("legal aid statistics page (200k) queries", page.queries, "per request")
    api = time_view(c, "/api/v1/legal-aid/statistics/", n=15, warmup=2)
    report.line("legal aid statistics API (200k) median", api.median_ms, "ms")
    report.line("legal aid statistics API (200k) p95", api.p95_ms, "ms")
    report.line("legal aid statistics API (200k) queries", api.queries, "per request")

    w = client()
    w.force_login(staff.user)
    visible = LegalAidApplication.objects.filter(competent_centre=staff.centre).count()
    report.line("legal aid: Laixi centre's applications", visible, "")
    worklist = time_view(w, "/legal-aid/staff/", n=40)
    report.line("legal aid worklist (Laixi, 200k total) median", worklist.median_ms, "ms")
    report.line("legal aid worklist (Laixi, 200k total) p95", worklist.p95_ms, "ms")
    report.line("legal aid worklist (Laixi, 200k total) queries", worklist.queries, "per request")
    overdue = time_view(w, "/legal-aid/staff/?overdue=1", n=40)
    report.line("legal aid worklist, overdue filter median", overdue.median_ms, "ms")
    report.line("legal aid worklist, overdue filter p95", overdue.p95_ms, "ms")
    report.line("legal aid worklist / bare view", worklist.ratio(bare_view_timing(w)), "x")

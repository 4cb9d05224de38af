"""Cases at scale: the department's case list and a case page with 100,000 cases in the
database, and the daily overdue scan over 1,000,000 open cases.

Rows are created with one set-based INSERT ... SELECT over a generated series (PostgreSQL
``generate_series``, SQLite a recursive CTE), so the bench itself is fast. The bench rows carry
references starting ``QDB`` and are deleted at the end."""

from __future__ import annotations

import datetime
import time

from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from tests.bench.util import client, in_process_database, scale, time_view

LIST_CASES = scale(100_000, 1_000)
SCAN_CASES = scale(1_000_000, 2_000)
BENCH_PREFIX = "QDB"
ITEMS_IN_DEPARTMENT = 40
ITEMS_ELSEWHERE = 60


def _series(n_param: str) -> str:
    if connection.vendor == "postgresql":
        return f"SELECT n FROM generate_series(1, {n_param}) AS n"
    return (
        f"WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {n_param}) "
        "SELECT n FROM s"
    )


def _expressions(offset: int) -> dict[str, str]:
    """SQL for each column, in terms of the series number ``s.n`` (plus ``offset``) and the
    bench_items row ``b``; ``%%`` is a literal percent sign (the query has parameters)."""
    if connection.vendor == "postgresql":
        return {
            "reference": f"'{BENCH_PREFIX}' || lpad((s.n + {offset})::text, 9, '0')",
            "due_on": "%(today)s::date + ((s.n %% 40) - 20)",
            "accepted_on": "%(today)s::date - 10",
            "submitted_at": "%(now)s::timestamptz - ((s.n %% 90) * interval '1 hour')",
            "now": "%(now)s::timestamptz",
            "false": "false",
            "delivery": "'{}'::jsonb",
            "list": "'[]'::jsonb",
        }
    return {
        "reference": f"'{BENCH_PREFIX}' || substr('000000000' || (s.n + {offset}), -9, 9)",
        "due_on": "date(%(today)s, ((s.n %% 40) - 20) || ' days')",
        "accepted_on": "date(%(today)s, '-10 days')",
        "submitted_at": "datetime(%(now)s, '-' || (s.n %% 90) || ' hours')",
        "now": "%(now)s",
        "false": "0",
        "delivery": "'{}'",
        "list": "'[]'",
    }


def insert_cases(count: int, offset: int, statuses: list[str], point_id: int) -> float:
    """Insert ``count`` cases in one statement; returns the seconds it took."""
    e = _expressions(offset)
    status_sql = "CASE s.n %% {k} {whens} END".format(
        k=len(statuses),
        whens=" ".join(f"WHEN {i} THEN '{status}'" for i, status in enumerate(statuses)),
    )
    sql = f"""
        INSERT INTO approvals_case (
            reference, item_id, applicant_kind, applicant_id_number, applicant_name,
            applicant_mobile, applicant_user_id, channel, accepting_point_id, department_id,
            status, submitted_at, accepted_on, decided_at, closed_at, due_on, materials_due_on,
            missing_materials, paused_on, paused_days, returned_from, overdue, reasons, delivery,
            note, created_at, updated_at, smart_assessment
        )
        SELECT {e["reference"]}, b.item_id, 'person', '370202198503120017', '测试申请人',
            '', NULL, 'online', %(point)s, b.department_id,
            {status_sql}, {e["submitted_at"]}, {e["accepted_on"]}, NULL, NULL, {e["due_on"]},
            NULL, {e["list"]}, NULL, 0, '', {e["false"]}, '', {e["delivery"]},
            '', {e["now"]}, {e["now"]}, {e["delivery"]}
        FROM ({_series("%(count)s")}) AS s
        JOIN bench_items b ON b.idx = s.n %% %(k)s
    """
    params = {
        "today": timezone.localdate().isoformat(),
        "now": timezone.now().strftime("%Y-%m-%d %H:%M:%S"),
        "point": point_id,
        "count": count,
        "k": ITEMS_IN_DEPARTMENT + ITEMS_ELSEWHERE,
    }
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return time.perf_counter() - started


def prepare_items(department_id: int) -> None:
    from portal.catalogue.models import ServiceItem

    mine = list(
        ServiceItem.objects.filter(department_id=department_id)
        .order_by("code")
        .values_list("id", "department_id")[:ITEMS_IN_DEPARTMENT]
    )
    others = list(
        ServiceItem.objects.exclude(department_id=department_id)
        .order_by("code")
        .values_list("id", "department_id")[:ITEMS_ELSEWHERE]
    )
    rows = mine + others
    while len(rows) < ITEMS_IN_DEPARTMENT + ITEMS_ELSEWHERE:  # a thin catalogue: repeat
        rows += rows[: ITEMS_IN_DEPARTMENT + ITEMS_ELSEWHERE - len(rows)]
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_items")
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_items "
            "(idx integer PRIMARY KEY, item_id bigint, department_id bigint)"
        )
        cursor.executemany(
            "INSERT INTO bench_items (idx, item_id, department_id) VALUES (%s, %s, %s)",
            [(i, item, dept) for i, (item, dept) in enumerate(rows)],
        )


def cleanup() -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM approvals_case WHERE reference LIKE %s", [BENCH_PREFIX + "%"])


def analyze() -> None:
    """Fresh statistics and, on PostgreSQL, a vacuum (as autovacuum would do after a bulk load),
    so dead rows of an earlier run and unset visibility bits do not distort the figures."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE approvals_case")
        else:
            cursor.execute("ANALYZE")


def run(report) -> None:
    from approvals import services
    from approvals.models import Case
    from approvals.selectors import online_platform
    from portal.accounts.models import User

    staff = User.objects.filter(username="case_staff").select_related("department").first()
    if staff is None:
        staff = User.objects.filter(role="department_staff", department__isnull=False).first()
    department_id = staff.department_id
    prepare_items(department_id)
    cleanup()
    open_and_closed = [
        "under_review",
        "accepted",
        "closed",
        "submitted",
        "approved",
        "forwarded",
        "closed",
        "result_issued",
        "returned_for_correction",
        "closed",
    ]
    seconds = insert_cases(LIST_CASES, 0, open_and_closed, online_platform().pk)
    # the daily scan flags the overdue ones, as in production: without it the overdue-only list
    # searched every past-due case for a flag none had (a state no department is in)
    services.scan_deadlines(timezone.localdate())
    analyze()
    in_department = Case.objects.filter(department_id=department_id).count()
    report.line(f"cases: insert {LIST_CASES:,} cases (one INSERT ... SELECT)", seconds, "s")
    report.line("cases: of which in the measured department", in_department, "cases")

    c = client()
    c.force_login(staff)
    for label, url in [
        ("department case list (open, by deadline)", "/cases/staff/"),
        ("department case list (all, page 40)", "/cases/staff/?status=all&page=40"),
        ("department case list (overdue only)", "/cases/staff/?overdue=on"),
        ("department cases API", "/api/v1/cases/?scope=department&status=open"),
    ]:
        # rendered every time: the page kept per viewer (ADR 0123) has a line of its own
        with override_settings(PRIVATE_PAGE_CACHE=False):
            t = time_view(c, url, n=30)
        report.line(f"cases: {label} median", t.median_ms, "ms")
        report.line(f"cases: {label} p95", t.p95_ms, "ms")
        if in_process_database():
            report.line(f"cases: {label} CPU median", t.cpu_median_ms, "ms")
        report.line(f"cases: {label} queries", t.queries, "per request")
    kept = time_view(c, "/cases/staff/", n=30)
    report.line(
        "cases: department case list, page kept for its viewer median", kept.median_ms, "ms"
    )
    report.line("cases: department case list, page kept for its viewer queries", kept.queries, "")

    # a real demo case with a full timeline and a hand-off, seen by its department's staff
    busy = (
        Case.objects.filter(status="closed", hand_offs__isnull=False)
        .exclude(reference__startswith=BENCH_PREFIX)
        .first()
        or Case.objects.exclude(reference__startswith=BENCH_PREFIX).first()
    )
    if busy is not None:
        viewer = (
            User.objects.filter(department_id=busy.department_id, role="department_staff").first()
            or staff
        )
        c.force_login(viewer)
        steps = busy.transitions.count()
        t = time_view(c, busy.get_absolute_url(), n=30)
        report.line(f"cases: case page ({steps} log entries) median", t.median_ms, "ms")
        report.line("cases: case page p95", t.p95_ms, "ms")
        report.line("cases: case page queries", t.queries, "per request")

    cleanup()
    seconds = insert_cases(
        SCAN_CASES, 0, ["under_review", "accepted", "forwarded"], online_platform().pk
    )
    analyze()
    report.line(f"cases: insert {SCAN_CASES:,} open cases (one INSERT ... SELECT)", seconds, "s")
    started = time.perf_counter()
    result = services.scan_deadlines(timezone.localdate())
    report.line(
        f"cases: daily overdue scan over {SCAN_CASES:,} open cases",
        time.perf_counter() - started,
        "s",
    )
    report.line("cases: cases flagged overdue by the scan", result["marked_overdue"], "cases")
    started = time.perf_counter()
    again = services.scan_deadlines(timezone.localdate() + datetime.timedelta(days=1))
    report.line("cases: next day's scan (incremental)", time.perf_counter() - started, "s")
    report.line("cases: newly flagged the next day", again["marked_overdue"], "cases")
    cleanup()

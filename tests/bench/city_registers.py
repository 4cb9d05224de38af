"""`make bench-city`, the registers part (issue 16, ADR 0109): the company and certificate
registers imported from files at the city's size, beside the floor, and a history rule's offers
at 1 million cases.

- The files (1,790,000 companies with shareholders and the legal representative's mobile;
  600,000 certificates) are written row by row into var/bench/registers/ (kept for the next run).
- The floor: a plain COPY of the same two files into bare tables (text columns, no index, no
  check), in the same run.
- The import: ``manage.py import_register`` in its own process (full mode, into empty registers):
  seconds, rows per second and that process's peak memory; the aim is both files in under 90 s
  and under 500 MB.
- A history rule: 1,000,000 cases of the registered companies; "completed 企业设立登记 within 30
  days" offers the follow-on item; the offers made, the seconds and the statements it took.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.bench.city import ROOT, fetch, out, sql

FILES = ROOT / "var" / "bench" / "registers"
AIM_SECONDS = 90
AIM_MB = 500

# Runs the command in a fresh interpreter and reports that process's peak memory.
WRAPPER = """
import os, resource, sys
import django
django.setup()
from django.db import connection
from django.core.management import execute_from_command_line
with connection.cursor() as cursor:
    cursor.execute("SELECT pg_backend_pid()")
    pid = cursor.fetchone()[0]
def backend_cpu():
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return 0.0
try:
    execute_from_command_line(["manage.py", *sys.argv[1:]])
finally:
    own = resource.getrusage(resource.RUSAGE_SELF)
    print(f"PEAK_MB={own.ru_maxrss / 1024:.0f}", file=sys.stderr)
    print(f"CPU_S={own.ru_utime + own.ru_stime:.2f}", file=sys.stderr)
    print(f"PG_CPU_S={backend_cpu():.2f}", file=sys.stderr)
"""


def write_files(companies: int, certificates: int, type_codes: list[str]) -> tuple[Path, Path]:
    from tests.proactive.register_files import (
        CERTIFICATE_HEADER,
        certificate_row,
        write_companies,
        write_rows,
    )

    FILES.mkdir(parents=True, exist_ok=True)
    company_file = FILES / f"companies-{companies}.csv"
    certificate_file = FILES / f"certificates-{certificates}.csv"
    if not company_file.exists():
        started = time.perf_counter()
        write_companies(company_file.with_suffix(".tmp"), range(1, companies + 1)).rename(
            company_file
        )
        out(
            "registers: company file written",
            company_file.stat().st_size // 2**20,
            f"MB in {time.perf_counter() - started:.1f} s",
        )
    if not certificate_file.exists():
        started = time.perf_counter()
        step = max(companies // certificates, 1)
        rows = (
            certificate_row(n, type_codes[(n // step) % len(type_codes)])
            for n in range(step, step * certificates + 1, step)
        )
        write_rows(certificate_file.with_suffix(".tmp"), CERTIFICATE_HEADER, rows).rename(
            certificate_file
        )
        out(
            "registers: certificate file written",
            certificate_file.stat().st_size // 2**20,
            f"MB in {time.perf_counter() - started:.1f} s",
        )
    return company_file, certificate_file


def empty_registers() -> None:
    from approvals.proactive.registers.models import RegisterImport

    sql(
        "TRUNCATE proactive_offer, proactive_courierevent, proactive_shipment, "
        "proactive_licenceevent, proactive_certificate, proactive_contactperson, "
        "proactive_shareholder, proactive_company RESTART IDENTITY CASCADE"
    )
    RegisterImport.objects.all().delete()


def copy_floor(path: Path, columns: int) -> float:
    """A plain COPY of the file into a bare table: what getting the bytes in costs."""
    from django.db import connection

    sql("DROP TABLE IF EXISTS bench_register_floor")
    sql(
        "CREATE TABLE bench_register_floor ("
        + ", ".join(f"c{n} text" for n in range(columns))
        + ")"
    )
    connection.ensure_connection()
    started = time.perf_counter()
    statement = "COPY bench_register_floor FROM STDIN (FORMAT csv, HEADER true)"
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(statement) as copy,
        path.open("rb") as handle,
    ):
        while chunk := handle.read(1 << 20):
            copy.write(chunk)
    seconds = time.perf_counter() - started
    sql("DROP TABLE bench_register_floor")
    return seconds


def run_import(register: str, path: Path) -> tuple[float, dict[str, float], str]:
    """``import_register`` in its own process: wall seconds, its figures (PEAK_MB, CPU_S: its
    own CPU seconds, PG_CPU_S: its PostgreSQL backend's) and what it said."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.bench"}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, "import_register", register, str(path), "--no-progress"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    figures = {"PEAK_MB": 0.0, "CPU_S": 0.0, "PG_CPU_S": 0.0}
    for line in done.stderr.splitlines():
        name, _sep, value = line.partition("=")
        if name in figures:
            figures[name] = float(value)
    if done.returncode != 0:
        raise SystemExit(f"import_register {register} failed:\n{done.stderr[-3000:]}")
    return seconds, figures, done.stdout.strip()


def bench_import(companies: int, certificates: int, type_codes: list[str]) -> None:
    company_file, certificate_file = write_files(companies, certificates, type_codes)
    empty_registers()
    floor_companies = copy_floor(company_file, 11)
    floor_certificates = copy_floor(certificate_file, 8)
    floor = floor_companies + floor_certificates
    out("registers: plain COPY floor, companies", floor_companies, "s")
    out("registers: plain COPY floor, certificates", floor_certificates, "s")
    load = os.getloadavg()[0]
    seconds_c, figures_c, said_c = run_import("companies", company_file)
    out("registers: import companies", seconds_c, f"s ({companies / seconds_c:,.0f} rows/s)")
    out("registers: import companies said", said_c)
    seconds_t, figures_t, said_t = run_import("certificates", certificate_file)
    out(
        "registers: import certificates",
        seconds_t,
        f"s ({certificates / seconds_t:,.0f} rows/s)",
    )
    out("registers: import certificates said", said_t)
    total = seconds_c + seconds_t
    out("registers: import, both files", total, f"s (aim: < {AIM_SECONDS} s)")
    out("registers: import / plain COPY floor", total / floor, "x")
    for label, figures in (("companies", figures_c), ("certificates", figures_t)):
        out(
            f"registers: CPU of the import, {label}",
            figures["CPU_S"] + figures["PG_CPU_S"],
            f"s (Python {figures['CPU_S']:.1f} s, its PostgreSQL backend "
            f"{figures['PG_CPU_S']:.1f} s)",
        )
    peak = max(figures_c["PEAK_MB"], figures_t["PEAK_MB"])
    out("registers: peak memory of the import", peak, f"MB (aim: < {AIM_MB} MB)")
    load = max(load, os.getloadavg()[0])
    out("registers: load average during the import", load, f"on {os.cpu_count()} cores")
    counts = fetch(
        "SELECT (SELECT count(*) FROM proactive_company), (SELECT count(*) FROM "
        "proactive_certificate), (SELECT count(*) FROM proactive_shareholder), "
        "(SELECT count(*) FROM proactive_contactperson)"
    )[0]
    out(
        "registers: stored",
        "companies {:,}, certificates {:,}, shareholders {:,}, contacts {:,}".format(*counts),
    )
    # the same file again: the record says it was imported; nothing is read or written
    seconds_again, _figures, said = run_import("companies", company_file)
    out("registers: the same company file again", seconds_again, f"s: {said[:60]}")


def bench_history(cases: int) -> None:
    """A history rule at city scale: 1,000,000 cases of the registered companies."""
    import datetime

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from approvals.models import AcceptancePoint
    from approvals.proactive import history
    from approvals.proactive.models import CertificateType, HistoryWindow, ProactiveRule
    from portal.catalogue.models import Department, ServiceItem

    department = Department.objects.get(code="BENCH-CITY")
    point, _ = AcceptancePoint.objects.get_or_create(
        code="BENCH-CITY-PT",
        defaults={
            "name": "青岛市政务服务网（压测）",
            "region_id": "370200",
            "kind": "online_platform",
        },
    )
    items = {}
    for code, name in (
        ("BENCH-CITY-SL", "企业设立登记（压测）"),
        ("BENCH-CITY-FO", "设立后续事项（压测）"),
    ):
        items[code], _ = ServiceItem.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "domain": "administrative_approval",
                "kind": "licence",
                "applicant_kind": "company",
                "department": department,
            },
        )
    sql("DELETE FROM approvals_case WHERE reference LIKE 'QDH%%'")
    now = timezone.now()
    # Half the cases are establishment registrations, completed over the last two years (one a
    # day per 1,370 or so); the other half are other items. Every tenth is still under review.
    started = time.perf_counter()
    with transaction.atomic():
        sql(
            """
            INSERT INTO approvals_case (
                reference, item_id, applicant_kind, applicant_id_number, applicant_name,
                applicant_mobile, applicant_user_id, channel, accepting_point_id, department_id,
                status, submitted_at, accepted_on, decided_at, closed_at, due_on,
                materials_due_on, missing_materials, paused_on, paused_days, returned_from,
                overdue, reasons, delivery, note, smart_assessment, created_at, updated_at
            )
            SELECT 'QDH' || lpad(co.id::text, 9, '0'),
                   CASE WHEN co.id %% 2 = 0 THEN %(establishment)s ELSE %(other)s END,
                   'company', co.uscc, co.name, '', NULL, 'online', %(point)s, %(department)s,
                   CASE WHEN co.id %% 10 = 0 THEN 'under_review' ELSE 'closed' END,
                   %(now)s - make_interval(days => (co.id %% 730)::int + 5),
                   NULL,
                   CASE WHEN co.id %% 10 = 0 THEN NULL
                        ELSE %(now)s - make_interval(days => (co.id %% 730)::int) END,
                   CASE WHEN co.id %% 10 = 0 THEN NULL
                        ELSE %(now)s - make_interval(days => (co.id %% 730)::int) END,
                   NULL, NULL, '[]', NULL, 0, '', false, '', '{}', '', '{}', %(now)s, %(now)s
            FROM proactive_company co WHERE co.id <= %(cases)s
            """,
            {
                "establishment": items["BENCH-CITY-SL"].pk,
                "other": items["BENCH-CITY-FO"].pk,
                "point": point.pk,
                "department": department.pk,
                "now": now,
                "cases": cases,
            },
        )
    sql("ANALYZE approvals_case")
    total = fetch("SELECT count(*) FROM approvals_case")[0][0]
    out("history rule: cases", total, f"in {time.perf_counter() - started:.1f} s")
    rule, _ = ProactiveRule.objects.get_or_create(
        name="设立登记后续事项（压测）",
        defaults={
            "item": items["BENCH-CITY-FO"],
            "trigger": "case_history",
            "history_item": items["BENCH-CITY-SL"],
            "history_window": HistoryWindow.WITHIN_DAYS,
            "days": 30,
            "valid_from": datetime.date(2020, 8, 1),
            "message": "{company}：是否需要办理{item}？请于{deadline}前答复 {link}",
            "active": True,
        },
    )
    rule.certificate_types.set(CertificateType.objects.filter(code__startswith="BC"))
    rule.regions.set(
        [
            "370200",
            "370202",
            "370203",
            "370211",
            "370212",
            "370213",
            "370214",
            "370215",
            "370281",
            "370283",
            "370285",
        ]
    )
    sql("DELETE FROM proactive_offer WHERE reason = 'case_history'")
    started = time.perf_counter()
    counts, sample = history.dry_run_rows(rule)
    out(
        "history rule: dry run (counts and a sample of ten)",
        time.perf_counter() - started,
        f"s, {sum(r[2] for r in counts):,} certificates would get an offer",
    )
    if sample:
        out(
            "history rule: dry run sample",
            len(sample),
            "holders, first: {company} {certificate} (case {case})".format(**sample[0]),
        )
    started = time.perf_counter()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        made = history.scan_history()
    seconds = time.perf_counter() - started
    out(
        f"history rule: offers made at {cases:,} cases",
        made,
        f"in {seconds:.2f} s, {len(queries)} statements",
    )
    again = history.scan_history()
    out("history rule: the same day again", again, "offers")

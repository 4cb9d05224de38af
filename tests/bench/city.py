"""`make bench-city` (`python -m tests.bench.city`): proactive approvals at the scale of the city.

PostgreSQL only. Builds 1,790,000 companies and their certificates (one in four holds one or
more, about 600,000) with set-based SQL (generate_series), then measures and prints:

- the daily expiry scan creating offers for everything expiring in the next 60 days (seconds,
  rows/s), against the plain SQL floor (one bare INSERT ... SELECT of the same offers) and a
  per-company ORM loop on a 10,000-company sample (the naive way), as ratios;
- 100,000 licence-change events posted over HTTP to the portal under gunicorn (its production
  configuration, two sync workers, warmed up by one small batch each), in batches, stored,
  applied to the register, detected and turned into offers (events/s end to end), from one
  client and then from two clients at once, against a plain SQL floor for insert + detection;
- the CPU seconds of the work (client, portal and PostgreSQL processes) beside the wall clock,
  and the peak memory of this process and of a portal worker.

- the registers imported from files (1.79 million companies, 600,000 certificates) beside a plain
  COPY of the same files, and a history rule's offers at 1 million cases (tests/bench/
  city_registers.py; last, as it empties the registers).

Options: --companies N --events N --batch N --sample N --keep (reuse the companies already built)
--certificates N --cases N --only scan|events|registers.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
QINGDAO = [
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
TYPE_NAMES = [
    "建筑业企业资质证书",
    "食品经营许可证",
    "药品经营许可证",
    "道路运输经营许可证",
    "公共场所卫生许可证",
    "人力资源服务许可证",
    "劳务派遣经营许可证",
    "出版物经营许可证",
    "旅行社业务经营许可证",
    "电影放映经营许可证",
    "消毒产品生产企业卫生许可证",
    "民办非企业单位登记证书",
    "建筑施工企业安全生产许可证",
    "排污许可证",
    "医疗器械经营备案凭证",
    "危险化学品经营许可证",
    "网络文化经营许可证",
    "特种设备生产许可证",
    "印刷经营许可证",
    "娱乐场所经营许可证",
]

USCC_FUNCTION = """
CREATE OR REPLACE FUNCTION pg_temp.bench_uscc(n bigint, region text) RETURNS text AS $$
DECLARE
  alphabet text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
  weights int[] := ARRAY[1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28];
  body text := '';
  x bigint := n;
  first17 text;
  total int := 0;
BEGIN
  FOR i IN 1..9 LOOP
    body := substr(alphabet, (x % 31)::int + 1, 1) || body;
    x := x / 31;
  END LOOP;
  first17 := '91' || region || body;
  FOR i IN 1..17 LOOP
    total := total + (strpos(alphabet, substr(first17, i, 1)) - 1) * weights[i];
  END LOOP;
  RETURN first17 || substr(alphabet, ((31 - total % 31) % 31) + 1, 1);
END $$ LANGUAGE plpgsql IMMUTABLE
"""


def out(label: str, value, unit: str = "") -> None:
    if isinstance(value, float):
        text = f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    else:
        text = f"{value:,}" if isinstance(value, int) else str(value)
    print(f"{label}: {text}{' ' + unit if unit else ''}", flush=True)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.bench"
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # Offers are sent by django-q2 workers after commit: here they are only queued.
    os.environ["BENCH_CITY"] = "1"
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")
    sys.path.insert(0, str(ROOT))
    import subprocess

    subprocess.run([sys.executable, str(ROOT / "scripts" / "ensure_database.py")], check=True)
    import django

    django.setup()
    from django.conf import settings

    settings.Q_CLUSTER["sync"] = False
    from django.db import connection

    # One persistent connection (one backend) for the whole run, so its CPU time can be read.
    connection.settings_dict["CONN_MAX_AGE"] = None
    from django_q.conf import Conf

    Conf.SYNC = False


def sql(statement: str, params=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def fetch(statement: str, params=None) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def build_rules():
    """20 items, one certificate type each, a licence-change and an expiry rule for each, active
    in the whole city."""
    import datetime

    from approvals.proactive.models import CertificateType, ProactiveRule
    from portal.catalogue.models import Department, Region, ServiceItem

    region = Region.objects.get(code="370200")
    department, _ = Department.objects.get_or_create(
        code="BENCH-CITY",
        defaults={"name": "青岛市行政审批服务局（压测）", "region": region, "level": "city"},
    )
    types = []
    for n, name in enumerate(TYPE_NAMES, start=1):
        item, _ = ServiceItem.objects.get_or_create(
            code=f"BENCH-CITY-{n:02d}",
            defaults={
                "name": f"{name}变更（压测）",
                "domain": "administrative_approval",
                "kind": "licence",
                "applicant_kind": "company",
                "department": department,
                "proactive": True,
            },
        )
        ctype, _ = CertificateType.objects.get_or_create(
            code=f"BC{n:02d}", defaults={"name": name, "item": item, "validity_years": 5}
        )
        types.append(ctype)
        for trigger in ("licence_change", "expiry"):
            rule, _ = ProactiveRule.objects.get_or_create(
                name=f"{name} {trigger}（压测）",
                defaults={
                    "item": item,
                    "trigger": trigger,
                    "fields": ["name", "legal_representative", "address", "shareholders"]
                    if trigger == "licence_change"
                    else [],
                    "days": 60 if trigger == "expiry" else None,
                    "valid_from": datetime.date(2020, 8, 1),
                    "message": "{company}：{certificate} 可办理 {item}，"
                    "请于 {deadline} 前确认 {link}",
                    "active": True,
                },
            )
            rule.certificate_types.set([ctype])
            rule.regions.set(QINGDAO)
    return [t.pk for t in types]


def build_city(companies: int, type_ids: list[int]) -> None:
    from django.db import transaction

    regions = "ARRAY[" + ",".join(f"'{c}'" for c in QINGDAO) + "]"
    types = "ARRAY[" + ",".join(str(t) for t in type_ids) + "]"
    with transaction.atomic():
        sql(
            "TRUNCATE proactive_offer, proactive_courierevent, proactive_shipment, "
            "proactive_licenceevent, proactive_certificate, proactive_contactperson, "
            "proactive_shareholder, proactive_company RESTART IDENTITY CASCADE"
        )
        sql(USCC_FUNCTION)
        _, seconds = timed(
            lambda: sql(
                f"""
            INSERT INTO proactive_company
                (uscc, name, type, legal_representative, address, district_id, status, updated_at)
            SELECT pg_temp.bench_uscc(g, ({regions})[1 + g %% 11]),
                   '青岛城市' || g || '商贸有限公司', 'limited', '法人' || g,
                   '青岛市某区某路' || (g %% 997) || '号', ({regions})[1 + g %% 11], 'active', now()
            FROM generate_series(1, %s) AS g
        """,
                [companies],
            )
        )
        out("build: companies", companies, f"rows in {seconds:.1f} s")
        # One in four holds a certificate, one in twelve a second one: about 600,000 for 1.79M.
        _, seconds = timed(
            lambda: sql(f"""
            INSERT INTO proactive_certificate
                (type_id, number, grade, company_id, issued_on, expires_on, particulars, status,
                 verification_code, case_reference, pdf)
            SELECT ({types})[1 + (c.id / 4) % 20], 'BC' || c.id || '-' || k, '', c.id,
                   CURRENT_DATE - 700, CURRENT_DATE + ((c.id * 7919 + k * 31) % 1095)::int - 20,
                   jsonb_build_object('name', c.name, 'legal_representative',
                                      c.legal_representative),
                   'valid', upper(substr(md5(c.id || '-' || k), 1, 16)), '', ''
            FROM proactive_company c CROSS JOIN generate_series(1, 2) AS k
            WHERE c.id % 4 = 0 AND (k = 1 OR c.id % 12 = 0)
        """)
        )
        count = fetch("SELECT count(*) FROM proactive_certificate")[0][0]
        out("build: certificates", count, f"rows in {seconds:.1f} s")
        _, seconds = timed(
            lambda: sql("""
            INSERT INTO proactive_contactperson (company_id, role, name, mobile, wechat_id, email)
            SELECT c.id, 'legal_representative', c.legal_representative,
                   '139' || lpad((c.id % 100000000)::text, 8, '0'), '', ''
            FROM proactive_company c WHERE c.id % 4 = 0
        """)
        )
        out("build: contacts", "legal representatives of holders", f"in {seconds:.1f} s")
    sql("ANALYZE")


def truncate_offers() -> None:
    sql("TRUNCATE proactive_offer RESTART IDENTITY CASCADE")


# The floor: the scan's own statement (approvals.proactive.detection.expiry_sql, the same joins,
# per-rule windows, horizon and parameters, so the same plan) without what the scan adds on top
# of a plain INSERT ... SELECT: skipping certificates offered before (NOT EXISTS), ON CONFLICT,
# and random tokens (a token made from the ids instead). Built from the scan's text, so it
# follows the scan; a part not found fails the bench instead of measuring something else.
NOT_EXISTS = re.compile(
    r"AND NOT EXISTS \(\s*SELECT 1 FROM proactive_offer o WHERE o\.certificate_id = c\.id "
    r"AND o\.reason = 'expiry'\s*\)"
)


def expiry_floor_sql() -> str:
    from django.db import connection

    from approvals.proactive import detection

    scan = detection.expiry_sql()
    floor, found = NOT_EXISTS.subn("", scan)
    if found != 1:
        raise AssertionError("expiry floor: the scan's NOT EXISTS was not found")
    token = detection._token_sql()
    id_token = (
        "md5(c.id::text || '-' || r.id::text)"
        if connection.vendor == "postgresql"
        else "(c.id || '-' || r.id)"
    )
    for part, instead in ((token, id_token), ("ON CONFLICT DO NOTHING", "")):
        if floor.count(part) != 1:
            raise AssertionError(f"expiry floor: {part!r} not found once in the scan")
        floor = floor.replace(part, instead)
    return floor


def expiry_params(today=None) -> dict:
    """The scan's parameters: its "today" (timezone.localdate(), Asia/Shanghai, not the
    database's CURRENT_DATE) and the longest window of the rules in force."""
    from approvals.proactive import detection

    params = detection._params(today)
    horizon = fetch(
        "SELECT MAX(r.days) FROM proactive_proactiverule r "
        f"WHERE r.trigger = 'expiry' AND {detection._rule_filter('r')}",
        params,
    )[0][0]
    return {**params, "horizon": int(horizon or 0)}


def _plan_shape(node: dict, skip_anti: bool) -> list[str]:
    """The plan's nodes as 'type relation index', depth first; the NOT EXISTS (the part the
    floor leaves out: an anti-join, or a subplan on a Result node) is passed through."""
    children = node.get("Plans", [])
    if skip_anti:
        # the NOT EXISTS: an anti-join, or a subplan filtering a Result node
        if node.get("Join Type") == "Anti":
            return _plan_shape(children[0], skip_anti)
        children = [c for c in children if c.get("Parent Relationship") not in ("SubPlan",)]
        if node.get("Node Type") == "Result" and "Relation Name" not in node:
            return [p for child in children for p in _plan_shape(child, skip_anti)]
    if node.get("Node Type") == "ModifyTable":
        return [p for child in children for p in _plan_shape(child, skip_anti)]
    here = " ".join(
        str(node[k]) for k in ("Node Type", "Join Type", "Relation Name", "Index Name") if k in node
    )
    return [here] + [p for child in children for p in _plan_shape(child, skip_anti)]


def plans(params: dict) -> tuple[list[str], list[str]]:
    """The scan's plan and the floor's (PostgreSQL, EXPLAIN without running)."""
    from approvals.proactive import detection

    shapes = []
    for statement, skip_anti in ((detection.expiry_sql(), True), (expiry_floor_sql(), False)):
        (plan,) = fetch("EXPLAIN (FORMAT JSON) " + statement, params)[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        shapes.append(_plan_shape(plan[0]["Plan"], skip_anti))
    return shapes[0], shapes[1]


def bench_scan(companies: int, sample: int) -> None:
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from approvals.proactive import services
    from approvals.proactive.models import Certificate, Company, Offer, ProactiveRule

    params = expiry_params()
    scan_plan, floor_plan = plans(params)
    if scan_plan != floor_plan:
        raise AssertionError(
            "expiry floor: not the scan's plan\n  scan:  "
            + " > ".join(scan_plan)
            + "\n  floor: "
            + " > ".join(floor_plan)
        )
    out("expiry scan: plan (scan = floor, less the NOT EXISTS)", " > ".join(scan_plan))
    out("expiry scan: today (Asia/Shanghai, the scan's and the floor's)", params["today"])
    floor_sql = expiry_floor_sql()
    floors, scans = [], []
    created = 0
    for _ in range(2):
        truncate_offers()
        rows, seconds = timed(lambda: sql(floor_sql, params))
        floors.append(seconds)
        truncate_offers()
        created, seconds = timed(services.run_expiry_scan)
        scans.append(seconds)
    floor, scan = min(floors), min(scans)
    out("expiry scan: offers created", created, "rows")
    out("expiry scan: seconds", scan, "s")
    out("expiry scan: rows per second", created / scan, "rows/s")
    out("expiry scan: plain INSERT ... SELECT floor", floor, f"s ({rows:,} rows)")
    out("expiry scan / floor", scan / floor, "x (aim: <= 2)")

    # The naive way: one company at a time through the ORM, on a sample, extrapolated.
    today = timezone.localdate()
    rules = list(
        ProactiveRule.objects.filter(trigger="expiry", active=True).prefetch_related(
            "certificate_types", "regions"
        )
    )
    ids = [
        row[0]
        for row in fetch(
            "SELECT id FROM proactive_company ORDER BY id LIMIT %s OFFSET %s",
            [sample, companies // 3],
        )
    ]
    truncate_offers()
    started = time.perf_counter()
    made = 0
    with transaction.atomic():
        for company_id in ids:
            company = Company.objects.get(pk=company_id)
            for certificate in Certificate.objects.filter(company=company, status="valid"):
                for rule in rules:
                    if certificate.type_id not in {t.pk for t in rule.certificate_types.all()}:
                        continue
                    if company.district_id not in {r.pk for r in rule.regions.all()}:
                        continue
                    if (
                        not today
                        <= certificate.expires_on
                        <= today + datetime.timedelta(days=rule.days)
                    ):
                        continue
                    if Offer.objects.filter(certificate=certificate, reason="expiry").exists():
                        continue
                    Offer.objects.create(
                        certificate=certificate,
                        company=company,
                        item_id=rule.item_id,
                        rule=rule,
                        reason="expiry",
                        deadline=today + datetime.timedelta(days=30),
                        created_at=timezone.now(),
                    )
                    made += 1
        loop = time.perf_counter() - started
        transaction.set_rollback(True)
    per_company = loop / len(ids)
    naive_full = per_company * companies
    out("naive per-company ORM loop: sample", len(ids), f"companies, {made} offers, {loop:.1f} s")
    out("naive per-company ORM loop: extrapolated to the city", naive_full, "s")
    out("naive loop / expiry scan", naive_full / scan, "x faster (aim: >= 50)")
    truncate_offers()
    services.run_expiry_scan()  # leave the expiry offers in place, as the daily task would


def _proc_stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def server_pids(master: int) -> list[int]:
    """The gunicorn master and its workers."""
    pids = [master]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _proc_stat(int(entry.name))
            if fields and int(fields[1]) == master:
                pids.append(int(entry.name))
    return pids


def machine_cpu_seconds(master: int | None = None) -> float:
    """CPU time of the work, whatever else runs on the machine: this client, the portal's
    gunicorn processes and every PostgreSQL process (backends, WAL writer, checkpointer)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    total = own.ru_utime + own.ru_stime
    pids = set(server_pids(master)) if master else set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            pid = int(entry.name)
            try:
                name = (entry / "comm").read_text().strip()
            except OSError:
                continue
            if name == "postgres" or pid in pids:
                fields = _proc_stat(pid)
                if fields:
                    total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


class PortalServer:
    """The portal under gunicorn with its production configuration (gunicorn.conf.py: sync
    workers, the garbage-collector settings) and the bench settings, on a free local port."""

    def __init__(self, workers: int) -> None:
        self.workers = workers

    def __enter__(self) -> PortalServer:
        import socket
        import subprocess
        import urllib.request

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.bench",
            "WEB_CONCURRENCY": str(self.workers),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_ACCESS_LOG": "",
            "GUNICORN_LOG_LEVEL": "warning",
            "GUNICORN_TIMEOUT": "300",
            "GUNICORN_MAX_REQUESTS": "0",
            "PYTHONWARNINGS": "ignore:No directory at",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "portal.wsgi"],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5):
                    break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the portal did not start under gunicorn") from None
                time.sleep(0.2)
        return self

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)

    def peak_worker_mb(self) -> float:
        peak = 0
        for pid in server_pids(self.process.pid)[1:]:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]))
            except OSError:
                pass
        return peak / 1024


def event_bodies(rows, batch: int, prefix: str) -> list[bytes]:
    bodies = []
    for start in range(0, len(rows), batch):
        events = [
            {
                "event_id": f"{prefix}-{company_id}",
                "uscc": uscc,
                "changed_on": "2026-11-20",
                "changes": {
                    "legal_representative": {"old": rep, "new": f"{prefix}法人{company_id}"}
                },
            }
            for company_id, uscc, rep in rows[start : start + batch]
        ]
        bodies.append(json.dumps({"events": events}, ensure_ascii=False).encode())
    return bodies


def post_batches(port: int, headers: dict, bodies: list[bytes], clients: int) -> int:
    """POST every body to the licence-events API over HTTP, from ``clients`` clients at once
    (each its own connection); returns the number of events stored."""
    import http.client
    from concurrent.futures import ThreadPoolExecutor

    def post(share: list[bytes]) -> int:
        stored = 0
        for body in share:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            connection.request("POST", "/api/v1/approvals/licence-events/", body, headers)
            response = connection.getresponse()
            answer = response.read()
            connection.close()
            if response.status != 201:
                raise SystemExit(f"API answered {response.status}: {answer[:300]!r}")
            stored += json.loads(answer)["stored"]
        return stored

    with ThreadPoolExecutor(clients) as pool:
        return sum(pool.map(post, [bodies[n::clients] for n in range(clients)]))


def bench_events(total: int, batch: int) -> None:
    import random
    import secrets

    from django.db import transaction

    from portal.accounts.services import create_system_client

    # Market regulation's register feed: a system client whose API key goes with each POST
    # (only that key may post licence events; issue 11).
    _feed, key = create_system_client(
        name=f"bench-city-feed-{secrets.token_hex(4)}", scopes=["licence_events:write"]
    )
    headers = {"Content-Type": "application/json", "Authorization": f"Api-Key {key}"}
    rng = random.Random(2020)
    max_id = fetch("SELECT max(id) FROM proactive_company")[0][0]
    picked = rng.sample(range(1, max_id + 1), total + 8)
    warmup_ids, picked = picked[:8], picked[8:]
    rows = []
    for start in range(0, total, 20_000):
        chunk = picked[start : start + 20_000]
        rows += fetch(
            "SELECT id, uscc, legal_representative FROM proactive_company WHERE id = ANY(%s)",
            [chunk],
        )
    warmup = event_bodies(
        fetch(
            "SELECT id, uscc, legal_representative FROM proactive_company WHERE id = ANY(%s)",
            [warmup_ids],
        ),
        1,
        "WARMUP",
    )
    runs = {1: event_bodies(rows, batch, "CITY"), 2: event_bodies(rows, batch, "CITY2")}
    del rows
    load = os.getloadavg()[0]
    with PortalServer(workers=2) as server:
        # A running portal has served requests before: each worker answers a one-event batch.
        post_batches(server.port, headers, warmup, clients=2)
        for clients, bodies in runs.items():
            if clients > 1:  # the same companies again: their open offers would block new ones
                sql("DELETE FROM proactive_offer WHERE reason = 'licence_change'")
            label = "licence events" if clients == 1 else "licence events, two clients at once"
            offers_before = fetch("SELECT count(*) FROM proactive_offer")[0][0]
            cpu_before = machine_cpu_seconds(server.process.pid)
            started = time.perf_counter()
            stored = post_batches(server.port, headers, bodies, clients)
            elapsed = time.perf_counter() - started
            cpu = machine_cpu_seconds(server.process.pid) - cpu_before
            offers = fetch("SELECT count(*) FROM proactive_offer")[0][0] - offers_before
            if clients == 1:
                out(
                    "licence events through the API (HTTP, gunicorn)",
                    stored,
                    f"events in {len(bodies)} requests of {batch}, one client",
                )
            out(f"{label}: offers created", offers, "rows")
            out(f"{label}: seconds", elapsed, "s")
            out(f"{label}: end to end", stored / elapsed, "events/s (aim: >= 10,000)")
            out(f"{label}: CPU (client, portal, PostgreSQL)", cpu, "s")
            out(f"{label}: per CPU-second", stored / cpu, "events")
            if clients == 1:
                api_elapsed = elapsed
        out("peak memory of a portal worker", server.peak_worker_mb(), "MB")
    load = max(load, os.getloadavg()[0])
    out("load average during the run", load, f"on {os.cpu_count()} cores")

    # The floor: the same work in plain SQL, one statement per batch: the events inserted from
    # two arrays, and the offers for their companies' certificates in the same statement.
    sql("DELETE FROM proactive_offer WHERE reason = 'licence_change'")  # the floor makes them anew
    ids = [f"FLOOR-{n}" for n in picked]
    usccs = [
        r[0]
        for r in fetch(
            "SELECT uscc FROM proactive_company WHERE id = ANY(%s) ORDER BY array_position(%s, id)",
            [picked, picked],
        )
    ]
    import uuid

    floor_offers = 0
    cpu_before = machine_cpu_seconds()
    started = time.perf_counter()
    for start in range(0, total, batch):
        with transaction.atomic():
            floor_offers += sql(
                """
                WITH stored AS (
                    INSERT INTO proactive_licenceevent (event_id, uscc, company_id, changed_on,
                        changes, fields_mask, new_legal_representative, batch, received_at)
                    SELECT e.id, e.uscc, c.id, DATE '2026-11-21', '{}'::jsonb, 2, '新法人', %s,
                           now()
                    FROM unnest(%s::text[], %s::text[]) AS e(id, uscc)
                    LEFT JOIN proactive_company c ON c.uscc = e.uscc
                    ON CONFLICT DO NOTHING
                    RETURNING id, company_id
                )
                INSERT INTO proactive_offer (certificate_id, company_id, item_id, rule_id, reason,
                    event_id, status, deadline, token, created_at, decline_reason)
                SELECT c.id, c.company_id, r.item_id, r.id, 'licence_change', s.id, 'created',
                       CURRENT_DATE + 30, md5(c.id::text), now(), ''
                FROM stored s
                JOIN proactive_certificate c ON c.company_id = s.company_id AND c.status = 'valid'
                JOIN proactive_proactiverule_certificate_types rt
                  ON rt.certificatetype_id = c.type_id
                JOIN proactive_proactiverule r
                  ON r.id = rt.proactiverule_id AND r.trigger = 'licence_change'
                ON CONFLICT DO NOTHING
            """,
                [uuid.uuid4(), ids[start : start + batch], usccs[start : start + batch]],
            )
    floor = time.perf_counter() - started
    floor_cpu = machine_cpu_seconds() - cpu_before
    out("licence events: plain SQL floor: offers created", floor_offers, "rows")
    out("licence events: plain SQL floor (insert + detection)", total / floor, "events/s")
    out("licence events: plain SQL floor per CPU-second", total / floor_cpu, "events")
    out("licence events: API / floor", floor / api_elapsed, "of the floor's rate (one client)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=1_790_000)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--sample", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="reuse the companies already built")
    parser.add_argument(
        "--only", choices=["scan", "events", "registers"], help="run one of the parts"
    )
    parser.add_argument("--certificates", type=int, default=600_000, help="register import")
    parser.add_argument("--cases", type=int, default=1_000_000, help="history rule")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print(
            "bench-city needs PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/"
            "portal_bench make bench-city",
            file=sys.stderr,
        )
        return 2
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    db = settings.DATABASES["default"]
    print(f"# database: PostgreSQL {db['NAME']} on {db.get('HOST') or 'local socket'}", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    type_ids = build_rules()
    if args.only != "registers":
        bench_city_proper(args, type_ids)
    if args.only in (None, "registers"):
        # Last: it empties the registers and imports them from files (ADR 0109).
        from tests.bench.city_registers import bench_history, bench_import

        codes = [f"BC{n:02d}" for n in range(1, len(TYPE_NAMES) + 1)]
        bench_import(args.companies, args.certificates, codes)
        bench_history(args.cases)
    out("peak memory (ru_maxrss)", peak_mb(), "MB")
    return 0


def bench_city_proper(args, type_ids: list[int]) -> None:
    existing = fetch("SELECT count(*) FROM proactive_company")[0][0]
    if not (args.keep and existing == args.companies):
        build_city(args.companies, type_ids)
    else:
        sql(
            "TRUNCATE proactive_licenceevent, proactive_offer, proactive_shipment, "
            "proactive_courierevent RESTART IDENTITY"
        )
    out("city: companies", fetch("SELECT count(*) FROM proactive_company")[0][0])
    out("city: certificates", fetch("SELECT count(*) FROM proactive_certificate")[0][0])
    out("peak memory after building", peak_mb(), "MB")
    if args.only != "events":
        bench_scan(args.companies, args.sample)
        out("peak memory after the scans", peak_mb(), "MB")
    if args.only != "scan":
        bench_events(args.events, args.batch)


if __name__ == "__main__":
    sys.exit(main())

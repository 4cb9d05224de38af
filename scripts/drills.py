"""`make drill`: failure drills against the running `make cluster` topology (scripts/cluster.py).
Each prints what it did and what it found, and fails (exit 1) on a lost or duplicated record.

    python scripts/drills.py            the media check and drills 1 to 4
    python scripts/drills.py 1          one drill

media. A material uploaded through web1 is read through web2: a presigned URL on the object
   store, after the portal's check; without a signature the store refuses, and without a
   session the portal sends the visitor to sign in.
1. Kill a web node under a constant load of page views and writes (licence events from the
   market-regulation feed, each with its own event id, retried by the client as a real feed
   does): HAProxy takes the node out; nothing acknowledged is lost, nothing is stored twice, no
   record is half written (an event stored without its change to the register, or the reverse);
   page views fail only while they were in flight on the dead node.
2. Kill a django-q2 cluster in the middle of sending offers: after it restarts, every offer is
   sent, every message stored once, and each reaches the SMS gateway under one idempotency key.
3. Crash the primary (`pg_ctl stop -m immediate`) while writes run, promote the replica and
   point PgBouncer at it: every write acknowledged before or after is there (the replica is
   synchronous, remote_apply), none twice, none half written; then the old primary is rebuilt as
   the new replica and the nodes restarted onto it.
4. Back up (a base backup, the WAL archive, a copy of the object store), write some more, note
   a target time, write again, wipe both databases and every stored file, restore to the target
   time: every table's row count and checksum and every file's SHA-256 as at the target, and
   nothing written after it.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cluster

RUN = time.strftime("%H%M%S")
PORT = cluster.PORTS.haproxy
PAGES = ["/", "/items/", "/outlets/", "/api/v1/items/?city_wide=true", "/legal-aid/"]


def say(text: str) -> None:
    print(text, flush=True)


def sql(query: str) -> list[str]:
    found = cluster.psql(cluster.primary_port(), query, database="portal")
    return [line for line in found.splitlines() if line]


def shell(code: str) -> str:
    done = subprocess.run(
        [cluster.PYTHON, "manage.py", "shell", "-c", code],
        cwd=cluster.ROOT, env=cluster.portal_env(direct=True),
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout.strip().splitlines()[-1]


def request(method: str, path: str, body: bytes | None = None, headers=None) -> int:
    """The status, or 0 when the connection failed or was cut."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=20)
    try:
        connection.request(method, path, body, headers or {})
        response = connection.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return 0
    finally:
        connection.close()


def feed_key() -> str:
    return shell(
        "from portal.accounts.services import create_system_client; "
        f"_c, key = create_system_client(name='drill-feed-{RUN}', "
        "scopes=['licence_events:write']); print(key)"
    )


def companies(count: int, with_rule: bool) -> list[tuple[int, str, str]]:
    """Companies to change; ``with_rule``: only those a licence-change rule makes offers for."""
    join = (
        """JOIN proactive_certificate c ON c.company_id = co.id AND c.status = 'valid'
        JOIN proactive_proactiverule_certificate_types rt ON rt.certificatetype_id = c.type_id
        JOIN proactive_proactiverule r ON r.id = rt.proactiverule_id
         AND r.trigger = 'licence_change' AND r.active
        JOIN proactive_proactiverule_regions rr
          ON rr.proactiverule_id = r.id AND rr.region_id = co.district_id"""
        if with_rule
        else ""
    )
    rows = sql(
        f"""SELECT DISTINCT co.id || '|' || co.uscc || '|' || co.legal_representative, random()
        FROM proactive_company co {join} ORDER BY 2 LIMIT {count}"""
    )
    picked = []
    for row in rows:
        company_id, uscc, rep = row.split("|")[:3]
        picked.append((int(company_id), uscc, rep))
    return picked


def event_body(prefix: str, batch: list[tuple[int, str, str]], seq: int = 0) -> bytes:
    events = [
        {
            "event_id": f"{prefix}-{company_id}-{seq}",
            "uscc": uscc,
            "changed_on": time.strftime("%Y-%m-%d"),
            "changes": {
                "legal_representative": {"old": rep, "new": f"演练{RUN}-{company_id}-{seq}"}
            },
        }
        for company_id, uscc, rep in batch
    ]
    return json.dumps({"events": events}, ensure_ascii=False).encode()


def post_events(key: str, body: bytes, tries: int = 20) -> tuple[bool, int]:
    """POST one batch until it is acknowledged (the same event ids: the portal stores an event
    once); returns (acknowledged, failed attempts)."""
    headers = {"Content-Type": "application/json", "Authorization": f"Api-Key {key}"}
    failures = 0
    for _ in range(tries):
        status = request("POST", "/api/v1/approvals/licence-events/", body, headers)
        if status == 201:
            return True, failures
        failures += 1
        time.sleep(0.3)
    return False, failures


# --- drill 1 -----------------------------------------------------------------------------------


class Load:
    """Page views (4 readers) and licence events (4 writers, round after round over their own
    companies, each change a new event id, retried until acknowledged) through HAProxy."""

    def __init__(self, prefix: str, readers: int = 4, writers: int = 4) -> None:
        self.key = feed_key()
        self.prefix = prefix
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.pages: Counter[str] = Counter()
        self.writes: Counter[str] = Counter()
        self.acknowledged: set[str] = set()
        self.acks: list[float] = []
        self.page_failures: list[float] = []
        targets = companies(600, with_rule=False)
        self.threads = [threading.Thread(target=self.reader, args=(n,)) for n in range(readers)]
        self.threads += [
            threading.Thread(target=self.writer, args=(targets[n::writers],))
            for n in range(writers)
        ]

    def reader(self, offset: int) -> None:
        n = offset
        while not self.stop.is_set():
            status = request("GET", PAGES[n % len(PAGES)], headers={"Accept-Language": "zh-CN"})
            n += 1
            with self.lock:
                self.pages["ok" if status == 200 else f"failed ({status or 'cut'})"] += 1
                if status != 200:
                    self.page_failures.append(time.monotonic())

    def writer(self, share: list[tuple[int, str, str]]) -> None:
        seq = 0
        while not self.stop.is_set():
            for company in share:
                if self.stop.is_set():
                    return
                ok, failures = post_events(self.key, event_body(self.prefix, [company], seq), 200)
                with self.lock:
                    self.writes["sent"] += 1
                    self.writes["attempts failed, then retried"] += failures
                    if ok:
                        self.writes["acknowledged"] += 1
                        self.acknowledged.add(f"{self.prefix}-{company[0]}-{seq}")
                        self.acks.append(time.monotonic())
                    else:
                        self.writes["never acknowledged"] += 1
            seq += 1

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def verify(self) -> bool:
        """Every acknowledged event stored once, every changed company holding its last stored
        event's value (the register change and the event are one transaction)."""
        mine = f"event_id LIKE '{self.prefix}-%'"
        stored = set(sql(f"SELECT event_id FROM proactive_licenceevent WHERE {mine}"))
        changed = int(sql(
            f"SELECT count(*) FROM proactive_company WHERE legal_representative LIKE '演练{RUN}-%'"
        )[0])  # fmt: skip
        half = int(sql(
            f"""SELECT count(*) FROM proactive_company c JOIN LATERAL (
                SELECT e.new_legal_representative AS value FROM proactive_licenceevent e
                WHERE e.uscc = c.uscc AND e.{mine} ORDER BY e.id DESC LIMIT 1) last ON true
            WHERE c.legal_representative <> last.value"""
        )[0])  # fmt: skip
        touched = int(sql(
            f"SELECT count(DISTINCT uscc) FROM proactive_licenceevent WHERE {mine}"
        )[0])  # fmt: skip
        twice = int(sql(
            f"""SELECT count(*) FROM (SELECT event_id FROM proactive_licenceevent
            WHERE {mine} GROUP BY event_id HAVING count(*) > 1) d"""
        )[0])  # fmt: skip
        lost = self.acknowledged - stored
        say(
            f"page views: {sum(self.pages.values())}: "
            + ", ".join(f"{k} {v}" for k, v in self.pages.items())
        )
        say("licence events: " + ", ".join(f"{k} {v}" for k, v in self.writes.items()))
        say(
            f"records: acknowledged {len(self.acknowledged)}, stored {len(stored)}, acknowledged "
            f"but missing {len(lost)}, stored twice {twice}; companies changed {changed} of "
            f"{touched} with events, half written {half + abs(changed - touched)}"
        )
        return (
            not lost
            and twice == 0
            and half == 0
            and changed == touched
            and self.writes["never acknowledged"] == 0
        )


def drill_web_node(seconds: float = 30.0) -> bool:
    say("\n## Drill 1: kill a web node under load")
    with Load(f"drill1-{RUN}") as load:
        time.sleep(seconds / 3)
        killed_at = time.monotonic()
        cluster.stop("web1", signal.SIGKILL)
        say(f"killed web1 (SIGKILL, gunicorn master and workers) at {seconds / 3:.0f} s")
        time.sleep(seconds / 3)
        cluster.start_web("web1", cluster.PORTS.web1)
        say(f"restarted web1 {time.monotonic() - killed_at:.0f} s after the kill")
        time.sleep(seconds / 3)
    ok = load.verify()
    failed_pages = sum(v for k, v in load.pages.items() if k != "ok")
    if failed_pages:
        window = [t - killed_at for t in load.page_failures]
        say(f"page views refused from {window[0]:.1f} s to {window[-1]:.1f} s after the kill")
    ok = ok and failed_pages <= 4  # one in flight per reader at most
    say(f"drill 1: {'PASS' if ok else 'FAIL'} (lost 0, duplicated 0, half written 0 required)")
    return ok


def drill_failover(seconds: float = 30.0) -> bool:
    say("\n## Drill 3: the primary dies while writes run; the replica is promoted")
    old_primary = cluster.roles()[0]
    with Load(f"drill3-{RUN}") as load:
        time.sleep(seconds / 3)
        acknowledged_before = len(load.acknowledged)
        crashed_at = time.monotonic()
        cluster.as_postgres(
            [cluster.pg_bin("pg_ctl"), "-D", str(cluster.DIR / "pg" / old_primary),
             "-m", "immediate", "stop"], stdout=subprocess.DEVNULL,
        )  # fmt: skip
        say(f"primary ({old_primary}) stopped with -m immediate (a crash) at {seconds / 3:.0f} s, "
            f"{acknowledged_before} events acknowledged so far")  # fmt: skip
        cluster.promote_replica()
        say(
            f"replica promoted and PgBouncer pointed at it {time.monotonic() - crashed_at:.1f} s "
            "after the crash"
        )
        time.sleep(seconds * 2 / 3)
    after = [t - crashed_at for t in load.acks if t > crashed_at]
    failures = [t - crashed_at for t in load.page_failures if t > crashed_at]
    say(
        f"{len(after)} writes acknowledged after the crash; page views refused (503) from "
        f"{failures[0]:.1f} s to {failures[-1]:.1f} s after it ({len(failures)} refusals)"
        if failures
        else f"{len(after)} writes acknowledged after the crash; no page view refused after it"
    )
    ok = load.verify() and bool(after)
    say("rebuilding the old primary as the new replica (base backup, synchronous again)")
    cluster.rebuild_replica()
    for name, port in (("web1", cluster.PORTS.web1), ("web2", cluster.PORTS.web2)):
        cluster.stop(name)  # the web nodes read the new replica from now on
        cluster.start_web(name, port)
        deadline = time.monotonic() + 90
        while not cluster.web_ready(port) and time.monotonic() < deadline:
            time.sleep(0.3)
        time.sleep(1.5)  # HAProxy's two good checks before it sends the node requests again
    for name in ("q1", "q2"):
        cluster.stop(name)
        cluster.start_worker(name)
    say(f"replication now: {cluster.replica_streaming()}")
    say(f"drill 3: {'PASS' if ok else 'FAIL'} (no committed record lost, none duplicated)")
    return ok


# --- drill 2 -----------------------------------------------------------------------------------


def gateway_calls() -> list[dict]:
    log = cluster.DIR / "sms.jsonl"
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines() if line]


def drill_worker(events: int = 300) -> bool:
    say("\n## Drill 2: kill a worker while it sends offers")
    key = feed_key()
    targets = companies(events, with_rule=True)
    prefix = f"drill2-{RUN}"
    ids = ",".join(str(company_id) for company_id, *_ in targets)
    declined = sql(
        f"""WITH d AS (UPDATE proactive_offer SET status = 'declined', answered_at = now()
            WHERE company_id IN ({ids}) AND reason = 'licence_change'
              AND status IN ('created', 'sent', 'opened') RETURNING 1)
        SELECT count(*) FROM d"""
    )[0]
    say(
        f"{len(targets)} companies a licence-change rule applies to; their {declined} open "
        "licence-change offers declined first (as their holders would), so the rules offer again"
    )
    calls_before = len(gateway_calls())
    # one event a request: one send task each, so the kill finds tasks queued and running
    batches = [targets[n : n + 1] for n in range(len(targets))]
    posted: list[bool] = []

    def post_all() -> None:
        for batch in batches:
            posted.append(post_events(key, event_body(prefix, batch))[0])

    poster = threading.Thread(target=post_all)
    poster.start()
    offers_sql = f"""FROM proactive_offer o JOIN proactive_licenceevent e ON e.id = o.event_id
        WHERE e.event_id LIKE '{prefix}-%'"""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (
        len(gateway_calls()) == calls_before
        or int(sql(f"SELECT count(*) {offers_sql} AND o.status <> 'created'")[0]) < 10
    ):
        time.sleep(0.1)
    cluster.stop("q1", signal.SIGKILL)
    made = int(sql(f"SELECT count(*) {offers_sql}")[0])
    sent_then = int(sql(f"SELECT count(*) {offers_sql} AND o.status <> 'created'")[0])
    say(
        f"killed django-q2 cluster q1 (SIGKILL) once ten offers were sent: "
        f"{len(posted)} of {len(batches)} events posted, {made} offers made, {sent_then} sent"
    )
    poster.join()
    offers = int(sql(f"SELECT count(*) {offers_sql}")[0])
    say(f"posted {len(targets)} licence events, one a request: {offers} offers made")
    if not all(posted):
        say("an event was not acknowledged: is the cluster up?")
        return False
    time.sleep(2)
    cluster.start_worker("q1")
    say("restarted q1; the every-minute sweep sends offers whose task was lost")
    # Messages whose delivery task died with q1 wait for the notification sweep (every ten
    # minutes, for messages queued over fifteen): the drill runs it now instead of waiting.
    deadline = time.monotonic() + 240
    while True:
        waiting = int(sql(f"SELECT count(*) {offers_sql} AND o.status = 'created'")[0])
        queued = int(sql(
            f"""SELECT count(*) FROM notifications_notification n
            WHERE n.key LIKE 'proactive:offer:%' AND n.status <> 'sent'
              AND split_part(n.key, ':', 3)::bigint IN (SELECT o.id {offers_sql})"""
        )[0])  # fmt: skip
        if waiting == 0 and queued == 0:
            break
        if time.monotonic() > deadline:
            say(f"after 4 minutes: {waiting} offers not sent, {queued} messages not delivered")
            break
        if waiting == 0:
            shell(
                "from portal.notifications.services import requeue_stale; "
                "print(requeue_stale(minutes=0))"
            )
        time.sleep(3)

    messages = sql(
        f"""SELECT n.key || '|' || n.channel || '|' || n.status FROM notifications_notification n
        WHERE n.key LIKE 'proactive:offer:%'
          AND split_part(n.key, ':', 3)::bigint IN (SELECT o.id {offers_sql})"""
    )
    by_key = Counter(row.split("|")[0] for row in messages)
    gateway = [c for c in gateway_calls()[calls_before:] if c["key"] in by_key]
    delivered = Counter(c["key"] for c in gateway)
    over_gateway = {row.split("|")[0] for row in messages if row.split("|")[1] in ("sms", "wechat")}
    not_sent = int(sql(f"SELECT count(*) {offers_sql} AND o.status = 'created'")[0])
    say(
        f"offers: {offers}, not sent {not_sent}; messages stored {len(messages)} "
        f"(keys stored twice: {sum(1 for v in by_key.values() if v > 1)}), "
        f"not delivered {sum(1 for r in messages if not r.endswith('|sent'))}"
    )
    say(
        f"SMS/WeChat gateway: {len(gateway)} calls for {len(over_gateway)} messages, "
        f"{len(delivered)} distinct idempotency keys, "
        f"missing {len(over_gateway - set(delivered))}, "
        f"keys posted again after the kill {sum(1 for v in delivered.values() if v > 1)} "
        "(the gateway delivers a key once)"
    )
    ok = (
        offers > 0
        and not_sent == 0
        and all(v == 1 for v in by_key.values())
        and over_gateway == set(delivered)
        and all(r.endswith("|sent") for r in messages)
    )
    say(f"drill 2: {'PASS' if ok else 'FAIL'} (every offer sent, each message once)")
    return ok


# --- drill 4 -----------------------------------------------------------------------------------


def fingerprints() -> dict[str, str]:
    """Every table of the portal: its row count and an MD5 of its rows in order."""
    tables = sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    union = " UNION ALL ".join(
        f"SELECT '{t}', count(*) || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY "
        f"x::text)), '-') FROM \"{t}\" x"
        for t in tables
    )
    return dict(row.split("|", 1) for row in sql(f"SELECT t || '|' || f FROM ({union}) a(t, f)"))


def s3_client():
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{cluster.PORTS.s3}",
        region_name="cn-north-1",
        aws_access_key_id=cluster.S3_KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=cluster.S3_KEYS["AWS_SECRET_ACCESS_KEY"],
    )


def s3_objects() -> dict[str, str]:
    """Every stored file: its key and the SHA-256 of its bytes."""
    import hashlib

    client = s3_client()
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=cluster.BUCKET):
        for item in page.get("Contents", []):
            body = client.get_object(Bucket=cluster.BUCKET, Key=item["Key"])["Body"].read()
            found[item["Key"]] = hashlib.sha256(body).hexdigest()
    return found


def wipe(nodes: tuple[str, str], stored: dict[str, str]) -> None:
    """The web nodes stop; both databases and every stored file are gone."""
    for name in ("web1", "web2"):
        cluster.stop(name)
    for node in nodes:
        data = cluster.DIR / "pg" / node
        cluster.as_postgres([cluster.pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate",
                             "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            check=False)  # fmt: skip
        subprocess.run(["rm", "-rf", str(data)], check=True)
    client = s3_client()
    for name in stored:
        client.delete_object(Bucket=cluster.BUCKET, Key=name)
    say(f"wiped: both PostgreSQL data directories and {len(stored)} stored files")


def restore(node: str, backup: Path, target_time: str) -> None:
    """The base backup, then the archived WAL up to the target time, promoted."""
    data = cluster.DIR / "pg" / node
    cluster.as_postgres(["cp", "-a", str(backup), str(data)])
    with (data / "postgresql.auto.conf").open("a") as conf:
        conf.write(
            f"restore_command = 'cp {cluster.DIR}/wal-archive/%f %p'\n"
            f"recovery_target_time = '{target_time}'\n"
            "recovery_target_action = 'promote'\n"
            "synchronous_standby_names = ''\n"
        )
    cluster.as_postgres(["touch", str(data / "recovery.signal")])
    (data / "standby.signal").unlink(missing_ok=True)
    cluster.start_node(node)
    while sql("SELECT pg_is_in_recovery()")[0] != "f":
        time.sleep(0.5)


def drill_backup_restore() -> bool:
    say("\n## Drill 4: back up, wipe, restore to a point in time")
    primary, replica = cluster.roles()
    backup = cluster.DIR / "pg" / "backup"
    files = cluster.DIR / "backup-s3"
    for path in (backup, files):
        subprocess.run(["rm", "-rf", str(path)], check=True)
    cluster.as_postgres([cluster.pg_bin("pg_basebackup"), "-h", "127.0.0.1",
                         "-p", str(cluster.primary_port()), "-U", "postgres",
                         "-D", str(backup), "-X", "stream"])  # fmt: skip
    client = s3_client()
    stored = s3_objects()
    files.mkdir(parents=True)
    for key in stored:
        target = files / key
        target.parent.mkdir(parents=True, exist_ok=True)
        client.download_file(cluster.BUCKET, key, str(target))
    say(f"base backup of the primary ({primary}) taken; WAL archived since; "
        f"{len(stored)} stored files copied from the object store")  # fmt: skip

    key = feed_key()
    before = companies(20, with_rule=False)
    for company in before:
        post_events(key, event_body(f"drill4a-{RUN}", [company]))
    for name in ("q1", "q2"):  # quiet: nothing writes between the fingerprint and the target
        cluster.stop(name)
    expected = fingerprints()
    target_time = sql("SELECT now()")[0]
    time.sleep(1.5)
    for company in before:
        post_events(key, event_body(f"drill4b-{RUN}", [company], seq=1))
    after_target = int(sql(
        f"SELECT count(*) FROM proactive_licenceevent WHERE event_id LIKE 'drill4b-{RUN}-%'"
    )[0])  # fmt: skip
    sql("SELECT pg_switch_wal()")
    time.sleep(2)  # the archiver copies the switched segment
    say(f"20 events written after the backup; the target time {target_time}; then "
        f"{after_target} more events that the restore must not bring back")  # fmt: skip

    wipe((primary, replica), stored)
    started = time.monotonic()
    restore(primary, backup, target_time)
    for name in stored:
        client.upload_file(str(files / name), cluster.BUCKET, name)
    say(f"restored: the base backup and the WAL to the target time in "
        f"{time.monotonic() - started:.1f} s; the stored files from their copy")  # fmt: skip

    found = fingerprints()
    differ = sorted(t for t in expected if found.get(t) != expected[t])
    files_now = s3_objects()
    changed_files = sorted(k for k in stored if files_now.get(k) != stored[k])
    rows = sum(int(v.split(":")[0]) for v in expected.values())
    say(
        f"compared: {len(expected)} tables, {rows} rows: {len(differ)} differ"
        + (f" ({', '.join(differ[:5])})" if differ else "")
        + f"; {len(stored)} stored files: {len(changed_files)} missing or changed"
    )
    brought_back = int(sql(
        f"SELECT count(*) FROM proactive_licenceevent WHERE event_id LIKE 'drill4b-{RUN}-%'"
    )[0])  # fmt: skip
    say(f"events written after the target time and back after the restore: {brought_back}")

    # the topology again: a new replica, PgBouncer, the nodes
    cluster.rebuild_replica()
    cluster.point_pgbouncer_at_primary()
    for name, port in (("web1", cluster.PORTS.web1), ("web2", cluster.PORTS.web2)):
        cluster.start_web(name, port)
    for name in ("q1", "q2"):
        cluster.start_worker(name)
    deadline = time.monotonic() + 90
    while not all(map(cluster.web_ready, (cluster.PORTS.web1, cluster.PORTS.web2))):
        if time.monotonic() > deadline:
            say("the web nodes did not come back")
            return False
        time.sleep(0.5)
    ok = not differ and not changed_files and brought_back == 0
    say(f"drill 4: {'PASS' if ok else 'FAIL'} (every table and file as at the target time)")
    return ok


# --- media across nodes ------------------------------------------------------------------------

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


class Browser:
    """One signed-in browser talking to one web node directly (as HAProxy would send it), its
    cookies carried by hand (they are secure: the proxy header says https)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.jar: dict[str, str] = {}

    def call(self, method: str, path: str, body: bytes | None = None, headers=None):
        import http.cookies

        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        origin = f"https://127.0.0.1:{self.port}"
        sent = {"X-Forwarded-Proto": "https", "Origin": origin, "Referer": origin + path}
        if self.jar:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        connection.request(method, path, body, {**sent, **(headers or {})})
        response = connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie(header)
            self.jar.update({name: morsel.value for name, morsel in cookie.items()})
        connection.close()
        return response.status, response.headers, content

    def sign_in(self, username: str, password: str) -> None:
        import urllib.parse

        self.call("GET", "/accounts/login/?tab=password")
        form = urllib.parse.urlencode({
            "csrfmiddlewaretoken": self.jar["csrftoken"], "method": "password",
            "password-username": username, "password-password": password,
        }).encode()  # fmt: skip
        status, _h, _c = self.call(
            "POST", "/accounts/login/", form,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        if "sessionid" not in self.jar:
            raise SystemExit(f"signing in as {username} on port {self.port} failed ({status})")

    def upload(self, path: str, field: str, value: str, name: str, content: bytes) -> int:
        boundary = "----drill" + RUN
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{self.jar['csrftoken']}\r\n".encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"\r\n\r\n'
            f"{value}\r\n".encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n".encode()
            + content
            + b"\r\n",
            f"--{boundary}--\r\n".encode(),
        ]
        status, _h, _c = self.call(
            "POST", path, b"".join(parts),
            {"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )  # fmt: skip
        return status


def drill_media() -> bool:
    say("\n## Media: a material uploaded through web1 is read through web2")
    found = shell(
        "from approvals.models import Case, MATERIALS_OPEN; "
        "from portal.catalogue.models import MaterialSource; "
        "c = (Case.objects.filter(applicant_user__username='citizen', status__in=MATERIALS_OPEN,"
        " item__materials__source=MaterialSource.APPLICANT).order_by('pk').first()); "
        "m = c.item.materials.filter(source=MaterialSource.APPLICANT).first(); "
        "print(c.reference + ' ' + str(m.pk))"
    )
    reference, material = found.split()
    content = PDF + RUN.encode()
    web1 = Browser(cluster.PORTS.web1)
    web1.sign_in("citizen", "demo12345")
    status = web1.upload(
        f"/cases/{reference}/materials/add/", "material", material, "演练材料.pdf", content
    )
    stored = shell(
        "from approvals.models import CaseMaterial; "
        f"m = CaseMaterial.objects.filter(case__reference='{reference}', kind='file')"
        ".latest('pk'); print(str(m.pk) + ' ' + m.file.name)"
    )
    pk, name = stored.split(" ", 1)
    say(f"uploaded through web1 (answer {status}) to case {reference}: stored as {name}")

    web2 = Browser(cluster.PORTS.web2)
    web2.jar = dict(web1.jar)  # the same browser, its next request sent to the other node
    path = f"/cases/{reference}/materials/{pk}/"
    status, headers, _c = web2.call("GET", path)
    signed = headers.get("Location", "")
    with urllib.request.urlopen(signed, timeout=10) as answer:
        fetched = answer.read()
    say(f"read through web2: {status} to a presigned URL on the S3 server; "
        f"{'the same bytes' if fetched == content else 'DIFFERENT bytes'}")  # fmt: skip
    try:
        urllib.request.urlopen(signed.split("?", 1)[0], timeout=10)
        unsigned = 200
    except urllib.error.HTTPError as error:
        unsigned = error.code
    stranger = Browser(cluster.PORTS.web2)
    refused, refused_headers, _c = stranger.call("GET", path)
    say(f"the object without a signature: {unsigned}; the file's URL without signing in: "
        f"{refused} to {refused_headers.get('Location', '')[:40]}")  # fmt: skip
    ok = (
        status == 302
        and signed.startswith(f"http://127.0.0.1:{cluster.PORTS.s3}/")
        and fetched == content
        and unsigned == 403
        and refused == 302
        and "/accounts/login/" in refused_headers.get("Location", "")
    )
    say(f"media: {'PASS' if ok else 'FAIL'} (one node stores, the other serves, after the check)")
    return ok


DRILLS = {
    "media": drill_media,
    "1": drill_web_node,
    "2": drill_worker,
    "3": drill_failover,
    "4": drill_backup_restore,
}


def main(argv: list[str]) -> int:
    chosen = argv[1:] or ["1", "2", "media", "3", "4"]
    if cluster.status() != 0:
        say("the cluster is not (all) up: starting it (make cluster)")
        cluster.up()
    results = {name: DRILLS[name]() for name in chosen}
    say("\n" + "  ".join(f"drill {k}: {'PASS' if v else 'FAIL'}" for k, v in results.items()))
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    os.chdir(cluster.ROOT)
    sys.exit(main(sys.argv))

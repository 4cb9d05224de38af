"""`make cluster`: the portal as a city runs it, on one machine, every part a real server.

    python scripts/cluster.py up       start (the first run also creates the databases and data)
    python scripts/cluster.py status   which parts answer
    python scripts/cluster.py down     stop everything (data kept; `down --wipe` removes it)

Topology (ports from CLUSTER_PORT_BASE, default 29000; files in CLUSTER_DIR, default
/tmp/portal-cluster):

    HAProxy :+80  ->  gunicorn web1 :+1, web2 :+2 (production profile, health-checked /healthz)
    web and workers -> PgBouncer :+632 (transaction mode) -> PostgreSQL primary :+432
                       reads of public pages -> PostgreSQL streaming replica :+433
                       (synchronous, remote_apply; ADR 0113)
    Redis :+379 (cache, sessions, rate limits, the django-q2 broker)
    django-q2 clusters q1 and q2
    S3 API (moto's server mode) :+900 for media, bucket portal-media

The drills (`make drill`, scripts/drills.py) use this topology.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIR = Path(os.environ.get("CLUSTER_DIR", "/tmp/portal-cluster"))
# below Linux's ephemeral range (32768-60999): a port there can be taken at any moment by the
# local end of some outgoing connection (CI once found HAProxy's taken by the suite beside it)
BASE = int(os.environ.get("CLUSTER_PORT_BASE", "29000"))
PYTHON = os.environ.get("PYTHON", str(ROOT / ".venv" / "bin" / "python"))
PG_BIN = Path(os.environ.get("PG_BIN", "")) if os.environ.get("PG_BIN") else None
BUCKET = "portal-media"
S3_KEYS = {"AWS_ACCESS_KEY_ID": "cluster-key", "AWS_SECRET_ACCESS_KEY": "cluster-secret"}


@dataclass(frozen=True)
class Ports:
    haproxy: int = BASE + 80
    web1: int = BASE + 1
    web2: int = BASE + 2
    pgbouncer: int = BASE + 632
    primary: int = BASE + 432
    replica: int = BASE + 433
    redis: int = BASE + 379
    s3: int = BASE + 900
    sms: int = BASE + 25


PORTS = Ports()
# The two PostgreSQL servers by data directory; which is the primary changes when the replica is
# promoted (drill 3), and DIR/roles.json remembers it.
NODES = {"primary": PORTS.primary, "replica": PORTS.replica}


def roles() -> tuple[str, str]:
    """(the primary's node, the replica's node)."""
    path = DIR / "roles.json"
    if path.exists():
        found = json.loads(path.read_text())
        return found["primary"], found["replica"]
    return "primary", "replica"


def set_roles(primary: str, replica: str) -> None:
    (DIR / "roles.json").write_text(json.dumps({"primary": primary, "replica": replica}))


def primary_port() -> int:
    return NODES[roles()[0]]


def replica_port() -> int:
    return NODES[roles()[1]]


def say(text: str) -> None:
    print(text, flush=True)


def pg_bin(name: str) -> str:
    if PG_BIN:
        return str(PG_BIN / name)
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        raise SystemExit(f"{name} not found: run scripts/system-deps.sh cluster")
    return str(found[-1])


def as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """PostgreSQL and PgBouncer refuse to run as root: run them as the postgres user then."""
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    kwargs.setdefault("check", True)
    return subprocess.run(args, **kwargs)


def answers(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_for(port: int, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not answers(port):
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} did not answer on {port} within {seconds:.0f} s")
        time.sleep(0.2)


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return response.status == 200
    except OSError:
        return False


# --- the environment of the portal's processes -------------------------------------------------


def secrets_file() -> dict[str, str]:
    """The cluster's secrets, made once and kept in DIR (0600)."""
    path = DIR / "secrets.json"
    kept = json.loads(path.read_text()) if path.exists() else {}
    for name, size in (
        ("SECRET_KEY", 64),
        ("COURIER_WEBHOOK_SECRET", 40),
        ("NOTIFY_GATEWAY_SECRET", 40),
    ):
        kept.setdefault(name, secrets.token_urlsafe(size))
    path.write_text(json.dumps(kept))
    path.chmod(0o600)
    return kept


def signing() -> dict[str, str]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    from tests.infra.conftest import signing_env

    directory = DIR / "signing"
    directory.mkdir(parents=True, exist_ok=True)
    if not (directory / "env.json").exists():
        (directory / "env.json").write_text(json.dumps(signing_env(directory)))
    return json.loads((directory / "env.json").read_text())


def portal_env(direct: bool = False) -> dict[str, str]:
    """The production profile against the cluster. ``direct``: the primary itself, not through
    PgBouncer (migrate)."""
    database = primary_port() if direct else PORTS.pgbouncer
    env = {
        **os.environ,
        **secrets_file(),
        **signing(),
        **S3_KEYS,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{database}/portal",
        "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{replica_port()}/portal",
        "DATABASE_POOL_MODE": "" if direct else "transaction",
        "REDIS_URL": f"redis://127.0.0.1:{PORTS.redis}/0",
        "SMS_BACKEND": "portal.notifications.backends.HttpGatewayBackend",
        "WECHAT_BACKEND": "portal.notifications.backends.HttpGatewayBackend",
        "NOTIFY_GATEWAY_URL": f"http://127.0.0.1:{PORTS.sms}/send",
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": f"http://127.0.0.1:{PORTS.s3}",
        "STATIC_ROOT": str(DIR / "static"),
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{PORTS.haproxy}",
        "SECURE_SSL_REDIRECT": "0",
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
        "Q_WORKERS": os.environ.get("Q_WORKERS", "2"),
        "GUNICORN_ACCESS_LOG": "",
        "LOG_LEVEL": "WARNING",
        # the drills send bursts from one address
        "API_ANON_RATE": "100000/minute",
        "LOGIN_FAILURE_LIMIT": "1000",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    if direct:  # maintenance (migrate, the demo, the drills' shell): the primary alone
        env.pop("DATABASE_REPLICA_URL")
    return env


def manage(*args: str, direct: bool = True) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=portal_env(direct), check=True)


# --- parts -----------------------------------------------------------------------------------


def spawn(name: str, args: list[str], env: dict[str, str] | None = None) -> None:
    """A long-running process in a session of its own, its PID in DIR/<name>.pid."""
    pid_file = DIR / f"{name}.pid"
    if pid_file.exists() and alive(int(pid_file.read_text())):
        return
    log = (DIR / f"{name}.log").open("ab")
    process = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    pid_file.write_text(str(process.pid))


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def stop(name: str, sig: int = signal.SIGTERM, seconds: float = 30) -> bool:
    """Stop the process DIR/<name>.pid and its session; True when it was running."""
    pid_file = DIR / f"{name}.pid"
    if not pid_file.exists():
        return False
    pid = int(pid_file.read_text().split()[0])
    was_alive = alive(pid)
    if was_alive:
        os.kill(pid, sig)
        deadline = time.monotonic() + seconds
        while alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)  # what is left of its session
    pid_file.unlink(missing_ok=True)
    return was_alive


def postgres_conf(port: int) -> str:
    return "\n".join(
        [
            f"port = {port}",
            "listen_addresses = '127.0.0.1'",
            f"unix_socket_directories = '{DIR / 'sock'}'",
            "max_connections = 200",
            "wal_level = replica",
            "max_wal_senders = 10",
            "hot_standby = on",
            "archive_mode = on",
            f"archive_command = 'test ! -f {DIR}/wal-archive/%f && cp %p {DIR}/wal-archive/%f'",
            "archive_timeout = 10",
            # once the replica streams (start_replica), commits wait for it to apply them
            "synchronous_commit = remote_apply",
            "fsync = on",
            "",
        ]
    )


def start_node(node: str) -> None:
    data = DIR / "pg" / node
    if (data / "PG_VERSION").exists() and not answers(NODES[node]):
        as_postgres([pg_bin("pg_ctl"), "-D", str(data), "-l", str(DIR / "pg" / f"{node}.log"),
                     "-w", "start"], stdout=subprocess.DEVNULL)  # fmt: skip


def start_primary() -> None:
    node = roles()[0]
    data = DIR / "pg" / node
    if not (data / "PG_VERSION").exists():
        say("# PostgreSQL primary: initdb")
        as_postgres([pg_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                     "-E", "UTF8", "--locale=C.UTF-8"], stdout=subprocess.DEVNULL)  # fmt: skip
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(postgres_conf(NODES[node]))
    start_node(node)
    if not psql(NODES[node], "SELECT 1 FROM pg_database WHERE datname = 'portal'"):
        subprocess.run([pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(NODES[node]),
                        "-U", "postgres", "portal"], check=True)  # fmt: skip


def make_standby(node: str, source: str) -> None:
    """``node`` from scratch as a streaming standby of ``source`` (a base backup, slot
    ``replica1``, application name ``replica1``)."""
    data = DIR / "pg" / node
    shutil.rmtree(data, ignore_errors=True)
    as_postgres([pg_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(NODES[source]),
                 "-U", "postgres", "-D", str(data), "-R", "-X", "stream",
                 "-C", "-S", "replica1"])  # fmt: skip
    with (data / "postgresql.auto.conf").open("a") as conf:
        conf.write(
            f"port = {NODES[node]}\n"
            f"primary_conninfo = 'host=127.0.0.1 port={NODES[source]} user=postgres "
            "application_name=replica1'\n"
            "primary_slot_name = 'replica1'\n"
            "synchronous_standby_names = ''\n"
        )


def start_replica() -> None:
    primary, replica = roles()
    if not (DIR / "pg" / replica / "PG_VERSION").exists():
        say("# PostgreSQL replica: base backup from the primary, streaming")
        make_standby(replica, primary)
    start_node(replica)
    # the replica the portal reads must have applied a commit before it returns (ADR 0113)
    psql(NODES[primary], "ALTER SYSTEM SET synchronous_standby_names = 'replica1'")
    psql(NODES[primary], "SELECT pg_reload_conf()")


def point_pgbouncer_at_primary() -> None:
    """PgBouncer's target is the primary: rewrite its file, reload, and drop the connections
    it holds to the old one."""
    pgbouncer_ini(primary_port())
    for command in ("RELOAD", "RECONNECT portal"):
        subprocess.run(
            [pg_bin("psql"), "-h", "127.0.0.1", "-p", str(PORTS.pgbouncer), "-U", "postgres",
             "-d", "pgbouncer", "-c", command],
            check=True, capture_output=True,
        )  # fmt: skip


def promote_replica() -> None:
    """The replica becomes the primary (the old one is gone): promote it, let it commit without
    a standby, and send PgBouncer there."""
    primary, replica = roles()
    as_postgres([pg_bin("pg_ctl"), "-D", str(DIR / "pg" / replica), "-w", "promote"],
                stdout=subprocess.DEVNULL)  # fmt: skip
    psql(NODES[replica], "ALTER SYSTEM SET synchronous_standby_names = ''")
    psql(NODES[replica], "SELECT pg_reload_conf()")
    set_roles(replica, primary)
    point_pgbouncer_at_primary()


def rebuild_replica() -> None:
    """After a promotion: the old primary's node, wiped, as the new primary's standby."""
    primary, replica = roles()
    data = DIR / "pg" / replica
    if (data / "postmaster.pid").exists():
        as_postgres([pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)  # fmt: skip
    with contextlib.suppress(subprocess.CalledProcessError):
        psql(NODES[primary], "SELECT pg_drop_replication_slot('replica1')")
    make_standby(replica, primary)
    start_replica()


def psql(port: int, sql: str, database: str = "postgres") -> str:
    done = subprocess.run(
        [pg_bin("psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", database,
         "-v", "ON_ERROR_STOP=1", "-tAc", sql],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout.strip()


def pgbouncer_ini(target_port: int) -> Path:
    ini = DIR / "pgbouncer.ini"
    (DIR / "userlist.txt").write_text('"postgres" ""\n')
    ini.write_text(
        "[databases]\n"
        f"portal = host=127.0.0.1 port={target_port} dbname=portal\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {PORTS.pgbouncer}\n"
        f"unix_socket_dir = {DIR / 'sock'}\n"
        "auth_type = trust\n"
        f"auth_file = {DIR / 'userlist.txt'}\n"
        "admin_users = postgres\n"
        "pool_mode = transaction\n"
        "max_client_conn = 1000\ndefault_pool_size = 40\n"
        "server_reset_query =\n"
        # after a failover the old primary refuses logins: try the (new) target again within a
        # second, not the default 15 s
        "server_login_retry = 1\n"
        "ignore_startup_parameters = extra_float_digits,options\n"
        f"pidfile = {DIR / 'pg' / 'pgbouncer.pid'}\n"
        f"logfile = {DIR / 'pg' / 'pgbouncer.log'}\n"
    )
    for path in (ini, DIR / "userlist.txt"):
        shutil.chown(path, "postgres") if os.geteuid() == 0 else None
    return ini


def start_pgbouncer() -> None:
    if answers(PORTS.pgbouncer):
        return
    ini = pgbouncer_ini(primary_port())
    as_postgres(["/usr/sbin/pgbouncer", "-d", str(ini)])
    wait_for(PORTS.pgbouncer, "PgBouncer")


def start_redis() -> None:
    if answers(PORTS.redis):
        return
    subprocess.run(
        ["redis-server", "--port", str(PORTS.redis), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--daemonize", "yes", "--pidfile", str(DIR / "redis.pidfile"),
         "--logfile", str(DIR / "redis.log"), "--dir", str(DIR)],
        check=True,
    )  # fmt: skip
    wait_for(PORTS.redis, "Redis")


def start_s3() -> None:
    if not answers(PORTS.s3):
        spawn("s3", [str(Path(PYTHON).parent / "moto_server"), "-H", "127.0.0.1",
                     "-p", str(PORTS.s3)])  # fmt: skip
        wait_for(PORTS.s3, "the S3 server")
    import boto3

    client = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{PORTS.s3}",
                          region_name="cn-north-1", aws_access_key_id=S3_KEYS["AWS_ACCESS_KEY_ID"],
                          aws_secret_access_key=S3_KEYS["AWS_SECRET_ACCESS_KEY"])  # fmt: skip
    if BUCKET not in {b["Name"] for b in client.list_buckets()["Buckets"]}:
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "cn-north-1"}
        )


def prepare_portal() -> None:
    marker = DIR / "portal-ready"
    manage("migrate", "--noinput", "-v", "0")
    manage("createcachetable")
    if not marker.exists():
        say("# the demo data (first run: a few minutes)")
        manage("compilemessages", "--ignore=.venv", "-v", "0")
        manage("collectstatic", "--noinput", "-v", "0")
        # CLUSTER_DEMO_ONLY="catalogue accounts ..." loads only those apps' demo data (CI: the
        # drills need the catalogue, the outlets and the proactive register, not legal aid)
        only = os.environ.get("CLUSTER_DEMO_ONLY", "").split()
        manage("load_demo", "--if-empty", *(["--only", *only] if only else []))
        marker.write_text(time.strftime("%Y-%m-%d %H:%M:%S"))


def start_web(name: str, port: int) -> None:
    env = {**portal_env(), "GUNICORN_BIND": f"127.0.0.1:{port}"}
    spawn(name, [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "portal.wsgi"], env)


def start_worker(name: str) -> None:
    spawn(name, [PYTHON, "manage.py", "qcluster"], portal_env())


def haproxy_cfg() -> Path:
    cfg = DIR / "haproxy.cfg"
    cfg.write_text(
        "global\n  maxconn 2000\n"
        "defaults\n  mode http\n  timeout connect 2s\n  timeout client 60s\n"
        "  timeout server 60s\n  option redispatch\n  retries 3\n"
        "  retry-on conn-failure empty-response 503\n"
        f"frontend portal\n  bind 127.0.0.1:{PORTS.haproxy}\n"
        "  http-request set-header X-Forwarded-Proto https\n  default_backend web\n"
        "backend web\n  balance roundrobin\n  option httpchk GET /healthz\n"
        "  http-check expect status 200\n"
        # a busy node answers its check late, not never: out after three checks that fail or
        # take over 5 s; a dead node refuses the connection at once (and its requests are
        # retried on the other node meanwhile)
        "  timeout check 5s\n"
        "  default-server inter 1s fall 3 rise 2\n"
        f"  server web1 127.0.0.1:{PORTS.web1} check\n"
        f"  server web2 127.0.0.1:{PORTS.web2} check\n"
    )
    return cfg


def start_haproxy() -> None:
    """Start HAProxy, or restart it when its configuration changed."""
    pid_file = DIR / "haproxy.pid"
    cfg = DIR / "haproxy.cfg"
    before = cfg.read_text() if cfg.exists() else ""
    if pid_file.exists() and alive(int(pid_file.read_text().split()[0])):
        if haproxy_cfg().read_text() == before:
            return
        for pid in pid_file.read_text().split():
            with contextlib.suppress(OSError):
                os.kill(int(pid), signal.SIGTERM)
        time.sleep(0.5)
    subprocess.run(["/usr/sbin/haproxy", "-f", str(haproxy_cfg()), "-D", "-p", str(pid_file)],
                   check=True)  # fmt: skip


def web_ready(port: int) -> bool:
    return http_ok(f"http://127.0.0.1:{port}/healthz")


def up() -> int:
    subprocess.run([str(ROOT / "scripts" / "system-deps.sh"), "cluster"], check=True)
    for sub in ("pg", "sock", "wal-archive"):
        (DIR / sub).mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        for sub in ("pg", "sock", "wal-archive"):
            shutil.chown(DIR / sub, "postgres")
        DIR.chmod(0o755)
    start_primary()
    start_redis()
    start_s3()
    if not answers(PORTS.sms):
        spawn("sms", [PYTHON, "scripts/sms_gateway.py", "--port", str(PORTS.sms),
                      "--log", str(DIR / "sms.jsonl")])  # fmt: skip
    # schema and demo data before the replica: its base backup then carries them, and the
    # thousands of small demo commits do not each wait for the replica to apply them
    prepare_portal()
    start_replica()
    start_pgbouncer()
    start_web("web1", PORTS.web1)
    start_web("web2", PORTS.web2)
    start_worker("q1")
    start_worker("q2")
    deadline = time.monotonic() + 90
    while not (web_ready(PORTS.web1) and web_ready(PORTS.web2)):
        if time.monotonic() > deadline:
            raise SystemExit(f"the web nodes did not start: see {DIR}/web1.log and web2.log")
        time.sleep(0.3)
    start_haproxy()
    deadline = time.monotonic() + 30
    while not http_ok(f"http://127.0.0.1:{PORTS.haproxy}/healthz"):
        if time.monotonic() > deadline:
            raise SystemExit("HAProxy does not answer")
        time.sleep(0.3)
    status()
    say(f"The portal: http://127.0.0.1:{PORTS.haproxy}/  (stop: make cluster-down)")
    return 0


def replica_streaming() -> str:
    try:
        found = psql(
            primary_port(),
            "SELECT application_name || ' ' || state || ' ' || sync_state FROM pg_stat_replication",
        )
    except subprocess.CalledProcessError:
        return "unknown (the primary does not answer)"
    return found or "none"


def status() -> int:
    rows = [
        ("HAProxy", PORTS.haproxy, http_ok(f"http://127.0.0.1:{PORTS.haproxy}/healthz")),
        ("web1 (gunicorn)", PORTS.web1, web_ready(PORTS.web1)),
        ("web2 (gunicorn)", PORTS.web2, web_ready(PORTS.web2)),
        ("PgBouncer (transaction)", PORTS.pgbouncer, answers(PORTS.pgbouncer)),
        (f"PostgreSQL primary ({roles()[0]})", primary_port(), answers(primary_port())),
        (f"PostgreSQL replica ({roles()[1]})", replica_port(), answers(replica_port())),
        ("Redis", PORTS.redis, answers(PORTS.redis)),
        ("S3 (moto server)", PORTS.s3, answers(PORTS.s3)),
        ("SMS gateway (stand-in)", PORTS.sms, answers(PORTS.sms)),
    ]
    for name in ("q1", "q2"):
        pid_file = DIR / f"{name}.pid"
        up_ = pid_file.exists() and alive(int(pid_file.read_text()))
        rows.append((f"django-q2 cluster {name}", 0, up_))
    for name, port, ok in rows:
        say(f"{name:<26} {port or '':>6}  {'up' if ok else 'DOWN'}")
    say(f"{'replication':<26} {'':>6}  {replica_streaming()}")
    return 0 if all(ok for *_, ok in rows) else 1


def down(wipe: bool = False) -> int:
    pid_file = DIR / "haproxy.pid"
    if pid_file.exists():
        for pid in pid_file.read_text().split():
            if alive(int(pid)):
                os.kill(int(pid), signal.SIGTERM)
        pid_file.unlink()
    for name in ("web1", "web2", "q1", "q2", "s3", "sms"):
        stop(name)
    if (DIR / "pg" / "pgbouncer.pid").exists():
        pid = int((DIR / "pg" / "pgbouncer.pid").read_text())
        if alive(pid):
            os.kill(pid, signal.SIGTERM)
    if (DIR / "redis.pidfile").exists():
        pid = int((DIR / "redis.pidfile").read_text())
        if alive(pid):
            os.kill(pid, signal.SIGTERM)
    for name in ("replica", "primary"):
        data = DIR / "pg" / name
        if (data / "postmaster.pid").exists():
            as_postgres([pg_bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    if wipe:
        shutil.rmtree(DIR, ignore_errors=True)
    say("cluster stopped" + (" and wiped" if wipe else ""))
    return 0


def main(argv: list[str]) -> int:
    DIR.mkdir(parents=True, exist_ok=True)
    command = argv[1] if len(argv) > 1 else "status"
    if command == "up":
        return up()
    if command == "down":
        return down(wipe="--wipe" in argv)
    if command == "status":
        return status()
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))

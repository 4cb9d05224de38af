"""`make bench-web` (`python -m tests.bench.web`): the web tier under load, next to a bare view.

PostgreSQL and Redis. Sets up (idempotently) a database (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/portal_benchweb): migrate, load_reference, load_demo, and at
SCALE=10 ten times the catalogue items, outlets and legal-aid applications (set-based, the code of
`make bench`); then starts the portal under gunicorn with the production profile
(portal.settings.bench_web: production plus the bare view /bench/bare/), WEB_CONCURRENCY=2 sync
workers from gunicorn.conf.py, Redis at REDIS_URL (default redis://127.0.0.1:6379/7, flushed at
start), and drives it with wrk: for every URL, a warm-up, then the bare view and the URL for
BENCH_SECONDS each (default 5), 8 connections (BENCH_CONNECTIONS); BENCH_ONLY=staff,legal-aid
runs only the URLs whose labels hold one of those words. One line per URL:

    items list page          html  412.3 req/s  p50 18.1 ms  p99 35.0 ms  bare 2210.0  1/5.4  ok

requests/s, the median and 99th percentile latency, the bare view's requests/s in the same round
and the ratio (1/N: the URL serves one request for every N of the bare view). The goals (issue
13): API lists >= 1/3, HTML pages >= 1/8, p99 < 50 ms. They are printed met/missed; STRICT=1 makes
a missed goal exit 1. Signed-in pages use a session made by signing in through the login page.

wrk is installed by scripts/system-deps.sh bench (apt-get as root; otherwise it prints the command).
"""

from __future__ import annotations

import http.cookies
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/portal_benchweb"
DEFAULT_REDIS = "redis://127.0.0.1:6379/7"
POINT = (36.0671, 120.3826)  # the city seat
GOALS = {"api": 3.0, "html": 8.0}  # the bare view's throughput over the URL's, at most
P99_GOAL_MS = 50.0
STAFF_PASSWORD = "demo12345"  # the demo accounts' password (README)


def say(text: str) -> None:
    print(text, flush=True)


# --- set-up ----------------------------------------------------------------------------------


def ensure_wrk() -> str:
    subprocess.run([str(ROOT / "scripts" / "system-deps.sh"), "bench"], check=True)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is missing: apt-get install -y --no-install-recommends wrk")
    return found


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.bench"
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")
    sys.path.insert(0, str(ROOT))
    subprocess.run([sys.executable, str(ROOT / "scripts" / "ensure_database.py")], check=True)
    import django

    django.setup()


def load_data(scale: int) -> None:
    """Reference and demo data once, then the catalogue, outlets and legal aid at ``scale``."""
    from django.core.management import call_command

    from portal.accounts.models import User

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not User.objects.filter(username="laixi_legal_aid").exists():
        call_command("load_reference", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    rescale(scale)
    signable(["case_staff", "laixi_legal_aid"])
    say(f"# set-up (migrate, reference and demo data, scale {scale}x): "
        f"{time.perf_counter() - started:.1f} s")  # fmt: skip


def signable(usernames: list[str]) -> None:
    """The bench profile hashes passwords with MD5 (fast demo loads), which the production
    profile does not accept: give the accounts the benchmark signs in with a production hash."""
    from django.test import override_settings

    from portal.accounts.models import User

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        for user in User.objects.filter(username__in=usernames):
            user.set_password(STAFF_PASSWORD)
            user.save(update_fields=["password"])


def rescale(scale: int) -> None:
    """Bring the catalogue, outlets and legal-aid applications to ``scale`` times the demo (1 or
    10), reusing `make bench`'s growers; a database left at another scale is brought back."""
    from django.db import connection, transaction

    from legal_aid.models import LegalAidApplication
    from outlets.models import Outlet
    from portal.catalogue.models import ServiceItem
    from tests.bench import bench_catalogue, bench_legal_aid, bench_outlets

    grown = ServiceItem.objects.filter(code__startswith=bench_catalogue.PREFIX).exists()
    if grown and scale == 1:
        with transaction.atomic():  # the outlets' lists hold the copied items: first
            Outlet.objects.filter(code__startswith="BENCH-0").delete()
            LegalAidApplication.objects.filter(reference__startswith="FYB").delete()
        bench_catalogue.shrink()
    elif not grown and scale > 1:
        bench_catalogue.grow_tenfold()
        with transaction.atomic():
            bench_outlets._grow(bench_outlets._item())
        demo_year = LegalAidApplication.objects.filter(reference__startswith="FYDEMO").count()
        bench_legal_aid._copy_to(demo_year * scale)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    say(
        f"# data: {ServiceItem.objects.count():,} items, {Outlet.objects.count():,} outlets, "
        f"{LegalAidApplication.objects.count():,} legal-aid applications"
    )


def collect_static(env: dict[str, str]) -> None:
    """collectstatic when the manifest is missing or older than a static source file."""
    manifest = Path(env["STATIC_ROOT"]) / "staticfiles.json"
    sources = [p for d in ROOT.glob("**/static") if ".venv" not in d.parts for p in d.rglob("*")]
    newest = max((p.stat().st_mtime for p in sources if p.is_file()), default=0)
    if manifest.exists() and manifest.stat().st_mtime >= newest:
        return
    say("# collectstatic (first run: compressing takes a minute)")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip


def server_env(port: int) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.bench_web",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "COURIER_WEBHOOK_SECRET": secrets.token_urlsafe(40),
        "STATIC_ROOT": str(ROOT / "var" / "benchweb" / "static"),
        # the throttle runs (its cost is part of every anonymous API call) but never refuses
        "API_ANON_RATE": "100000000/minute",
        "LOGIN_FAILURE_LIMIT": "1000",
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_LOG_LEVEL": "warning",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # never in production (README)
    # a seal key and its CA made for the run, as production configures them (ADR 0097)
    from tests.infra.conftest import signing_env

    directory = ROOT / "var" / "benchweb" / "signing"
    directory.mkdir(parents=True, exist_ok=True)
    env.update(signing_env(directory))
    return env


class Server:
    """gunicorn with gunicorn.conf.py (its max-requests and GC settings as shipped)."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.env = server_env(self.port)
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        collect_static(self.env)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "portal.wsgi"],
            cwd=ROOT, env=self.env,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=5):
                    return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the portal did not start under gunicorn") from None
                time.sleep(0.2)

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


# --- requests --------------------------------------------------------------------------------

HEADERS = {"X-Forwarded-Proto": "https"}  # as the TLS proxy in front of production sends


def sign_in(base: str, username: str) -> str:
    """Sign in through the login page (password tab); returns the Cookie header value. The
    cookies are secure (the proxy header says https), so they are carried by hand."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    jar: dict[str, str] = {}

    def call(request: urllib.request.Request) -> None:
        if jar:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in jar.items()))
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:  # the 302 after signing in
            response = error
        with response:
            response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = http.cookies.SimpleCookie(header)
                jar.update({name: morsel.value for name, morsel in cookie.items()})

    call(urllib.request.Request(f"{base}/accounts/login/?tab=password", headers=HEADERS))
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": jar["csrftoken"],
            "method": "password",
            "password-username": username,
            "password-password": STAFF_PASSWORD,
        }
    ).encode()
    origin = base.replace("http://", "https://")
    call(
        urllib.request.Request(
            f"{base}/accounts/login/",
            data=body,
            headers={**HEADERS, "Origin": origin, "Referer": origin + "/accounts/login/"},
        )
    )
    if not jar.get("sessionid"):
        raise SystemExit(f"signing in as {username} failed (no session cookie)")
    return f"sessionid={jar['sessionid']}; csrftoken={jar['csrftoken']}"


@dataclass
class Target:
    label: str
    kind: str  # "html" or "api"
    path: str
    cookie: str = ""


def targets(base: str) -> list[Target]:
    from outlets.models import ItemListEntry
    from portal.catalogue.models import ServiceItem
    from tests.bench.bench_outlets import _item

    item = _item()
    listed = ItemListEntry.objects.values("item__code")
    detail = ServiceItem.objects.filter(is_active=True, code__in=listed).order_by("code").first()
    detail = detail or item
    lat, lng = POINT
    q = urllib.parse.quote
    staff = sign_in(base, "case_staff")
    legal_aid = sign_in(base, "laixi_legal_aid")
    return [
        Target("home", "html", "/"),
        Target("items list page", "html", "/items/"),
        Target("city-wide list page", "html", "/lists/city_wide/"),
        Target("item detail", "html", f"/items/{q(detail.code)}/"),
        Target("outlet finder, query", "html", f"/outlets/?q={q(item.name)}&lat={lat}&lng={lng}"),
        Target("API items city-wide", "api", "/api/v1/items/?city_wide=true"),
        Target("API outlets near", "api", f"/api/v1/outlets/?item={q(item.code)}&near={lat},{lng}"),
        Target("staff case worklist", "html", "/cases/staff/", staff),
        Target("legal-aid worklist", "html", "/legal-aid/staff/", legal_aid),
        Target("legal-aid statistics", "html", "/legal-aid/statistics/", legal_aid),
    ]


def check(base: str, target: Target) -> None:
    """One request first: a page that does not answer 200 is not worth timing."""
    headers = {**HEADERS, **({"Cookie": target.cookie} if target.cookie else {})}
    request = urllib.request.Request(base + target.path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise SystemExit(f"{target.label}: GET {target.path} answered {status}, expected 200")


# --- wrk -------------------------------------------------------------------------------------


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def wrk(binary: str, url: str, seconds: float, connections: int, cookie: str = "") -> Result:
    command = [binary, "-t", "2", "-c", str(connections), "-d", f"{seconds:g}s", "--latency",
               "--timeout", "10s", "-H", "X-Forwarded-Proto: https"]  # fmt: skip
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    percentiles = dict(re.findall(r"^[ \t]+(50|99)%[ \t]+(\S+)[ \t]*$", output, re.M))
    if "99" not in percentiles:
        raise SystemExit(f"wrk printed no latency distribution:\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return Result(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=_ms(percentiles["50"]),
        p99_ms=_ms(percentiles["99"]),
        errors=(int(errors.group(1)) if errors else 0)
        + (sum(map(int, socket_errors.groups())) if socket_errors else 0),
    )


def run_load(binary: str, base: str, items: list[Target]) -> list[str]:
    seconds = float(os.environ.get("BENCH_SECONDS", "5"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "8"))
    bare = f"{base}/bench/bare/"
    missed: list[str] = []
    say(f"# wrk: {connections} connections, {seconds:g} s per URL, each after the bare view")
    wrk(binary, bare, 1, connections)  # warm both workers
    for target in items:
        check(base, target)
        wrk(binary, base + target.path, 1, connections, target.cookie)  # warm-up, not counted
        baseline = wrk(binary, bare, seconds, connections)
        result = wrk(binary, base + target.path, seconds, connections, target.cookie)
        share = baseline.rps / result.rps if result.rps else float("inf")
        goal = GOALS[target.kind]
        verdicts = []
        if share > goal:
            verdicts.append(f"ratio missed (goal 1/{goal:g})")
        if result.p99_ms >= P99_GOAL_MS:
            verdicts.append(f"p99 missed (goal {P99_GOAL_MS:g} ms)")
        if result.errors:
            verdicts.append(f"{result.errors} errors")
        if verdicts:
            missed.append(target.label)
        say(
            f"{target.label:<24} {target.kind:<4} {result.rps:8.1f} req/s  "
            f"p50 {result.p50_ms:6.1f} ms  p99 {result.p99_ms:6.1f} ms  "
            f"bare {baseline.rps:7.1f} (p99 {baseline.p99_ms:5.1f} ms)  1/{share:<5.1f} "
            + ("; ".join(verdicts) or "ok")
        )
    return missed


def only_label(label: str) -> bool:
    """BENCH_ONLY: comma-separated parts of the labels to run (all when unset)."""
    wanted = [w.strip() for w in os.environ.get("BENCH_ONLY", "").split(",") if w.strip()]
    return not wanted or any(w in label for w in wanted)


def main() -> int:
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE)
    os.environ.setdefault("REDIS_URL", DEFAULT_REDIS)
    if not os.environ["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench-web runs on PostgreSQL: DATABASE_URL=postgres://...")
    scale = int(os.environ.get("SCALE", "1"))
    binary = ensure_wrk()
    setup_django()
    load_data(scale)
    flush_redis(os.environ["REDIS_URL"])
    from django.db import connections

    connections.close_all()
    with Server() as server:
        say(f"# gunicorn {server.env['WEB_CONCURRENCY']} workers, production profile, "
            f"scale {scale}x, {os.cpu_count()} CPUs")  # fmt: skip
        chosen = [t for t in targets(server.base) if only_label(t.label)]
        missed = run_load(binary, server.base, chosen)
    goals = f"API >= 1/{GOALS['api']:g}, HTML >= 1/{GOALS['html']:g}, p99 < {P99_GOAL_MS:g} ms"
    if missed:
        say(f"# goals ({goals}) missed by {len(missed)}: {', '.join(missed)}")
        return 1 if os.environ.get("STRICT") == "1" else 0
    say(f"# goals ({goals}) met by every URL")
    return 0


if __name__ == "__main__":
    sys.exit(main())

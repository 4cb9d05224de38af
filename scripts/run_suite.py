#!/usr/bin/env python3
"""The whole suite, as `make test` and CI run it, in lanes that run side by side.

The machine has two cores and the suite has parts that need no shared state, so it runs as
separate pytest processes ("lanes"), and the wall time is about the longest lane, not the sum:

- **main**: everything not marked ``fuzz``, ``browser``, ``bench``, ``migrates`` or
  ``cluster``, on DATABASE_URL's test database (its output is printed as it runs);
- **side**: the property-based API run (tests/fuzz: schemathesis against its own gunicorn and
  SQLite file, about eight minutes), then the short form of every benchmark (``-m bench``:
  `python -m tests.bench --short` in a subprocess, about three), then the tests that migrate a
  new database of their own in a subprocess (``migrates``, under a minute);
- **browser**: the browser tests (Playwright and Chromium against a live server) on a test
  database of their own (DATABASE_URL's name + ``_browser``), about nine minutes;
- **drills**, with ``CI_DRILLS=1`` (which `.ci/run` sets): the cluster drills
  (tests/infra/test_drills.py, ``-m cluster``: `make cluster` on its own ports, drills 1, 2 and
  the media check), about nine minutes, most of it waiting on its servers and timed kills.

On PostgreSQL the test databases are migrated once: a template database is migrated before the
lanes start and each lane's test database is a copy of it (``CREATE DATABASE ... TEMPLATE``, a
file copy), run with ``--reuse-db``. Migrating is mostly Django rendering model states (about 20 s
of CPU alone, 60-180 s with three lanes doing it at once on two cores); copying takes a second.
The lanes that need no copy (side, drills) start before the migration, on the other core.

The lanes beside main run at niceness 10 (main is the longest, and on two cores four lanes at
one priority left it a third of a core), collect only their own files (``MARKER_PATHS``) and
print their CPU seconds beside their wall time.

Arguments go to every lane. The exit code is the first non-zero of the lanes, so "no tests
collected" (5) in any fails too; the other lanes' output is printed after the main one's.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import time
from urllib.parse import urlsplit, urlunsplit

from ensure_database import ensure_database

PYTEST = [sys.executable, "-m", "pytest"]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def own_database(url: str | None, suffix: str) -> dict[str, str]:
    """DATABASE_URL with its database name suffixed (PostgreSQL), so a lane's test database is
    not the main lane's; nothing for SQLite (each process has its own in-memory test database)."""
    if not url or not url.startswith(("postgres://", "postgresql://")):
        return {}
    parts = urlsplit(url)
    return {"DATABASE_URL": urlunsplit(parts._replace(path=parts.path + suffix))}


def _connect_maintenance(url: str):
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    params = {
        "host": cfg.get("HOST") or None,
        "port": cfg.get("PORT") or None,
        "user": cfg.get("USER") or None,
        "password": cfg.get("PASSWORD") or None,
        "dbname": "postgres",
        "connect_timeout": 10,
    }
    return cfg["NAME"], psycopg.connect(
        **{k: v for k, v in params.items() if v is not None}, autocommit=True
    )


def _drop(conn, name: str) -> None:
    from psycopg import sql

    conn.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
    )
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def prepare_test_databases(urls: list[str]) -> bool:
    """Migrate a template once and copy it to the test database of each URL (pytest-django's
    name: ``test_`` + the URL's database name). False for SQLite (nothing to share: each process
    has its own in-memory test database)."""
    if not urls or not all(u.startswith(("postgres://", "postgresql://")) for u in urls):
        return False
    from psycopg import sql

    started = time.monotonic()
    name, conn = _connect_maintenance(urls[0])
    template = f"test_{name}_template"
    with conn:
        _drop(conn, template)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(template)))
    parts = urlsplit(urls[0])
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--run-syncdb", "-v", "0"],
        cwd=ROOT,
        check=True,
        env={
            **os.environ,
            "DATABASE_URL": urlunsplit(parts._replace(path="/" + template)),
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        },
    )
    for url in urls:
        name, conn = _connect_maintenance(url)
        with conn:
            _drop(conn, f"test_{name}")
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(f"test_{name}"), sql.Identifier(template)
                )
            )
    print(f"test databases migrated once and copied in {time.monotonic() - started:.0f} s",
          flush=True)  # fmt: skip
    return True


def lanes() -> dict[str, list[tuple[str, dict[str, str]]]]:
    """Each background lane: its steps, one pytest run each (a marker expression and the
    environment it adds)."""
    url = os.environ.get("DATABASE_URL")
    found = {
        # the fuzz run, then the short form of every benchmark (``bench``: a subprocess that
        # loads the demo into a database of its own, about three minutes)
        # then the tests that migrate a new database of their own in a subprocess (``migrates``)
        "side": [("fuzz", {}), ("bench", {}), ("migrates", {})],
        "browser": [("browser", own_database(url, "_browser"))],
    }
    if os.environ.get("CI_DRILLS"):
        # the cluster mostly waits (for its servers to start, for the drills' timed kills), so
        # it gets a lane of its own rather than waiting behind another
        found["drills"] = [("cluster", {})]
    return found


#: where each background marker's tests live: a lane collects those files only, not the whole
#: suite to deselect all but a few (about 12 s of CPU a lane); tests/infra/test_suite_lanes.py
#: checks that the marker selects nothing elsewhere
MARKER_PATHS = {
    "fuzz": ["tests/fuzz"],
    "bench": ["tests/infra/test_bench_runner.py"],
    "migrates": ["tests/core/test_fresh_database.py"],
    "browser": ["tests/browser"],
    "cluster": ["tests/infra/test_drills.py"],
}


#: the main lane: every test not in a background lane
MAIN_MARKERS = " and ".join(f"not {marker}" for marker in MARKER_PATHS)

BACKGROUND_NICENESS = 10


def _names_tests(argv: list[str]) -> bool:
    """Did the caller name tests (a path, a node id) rather than options only?"""
    return any(not arg.startswith("-") and arg.startswith("tests") for arg in argv)


def _wait(process: subprocess.Popen) -> tuple[int, float]:
    """The exit code and the CPU seconds (user and system) of the process and the children it
    waited for (what `time` reports; PostgreSQL's own processes are not among them)."""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_utime + usage.ru_stime


def run_lane(steps: list[tuple[str, dict[str, str]]], argv: list[str], log, codes: list[int]):
    for marker, extra in steps:
        started = time.monotonic()
        print(f"\n===== -m {marker} =====", file=log, flush=True)
        if "DATABASE_URL" in extra:
            ensure_database(extra["DATABASE_URL"])
        paths = [] if _names_tests(argv) else MARKER_PATHS[marker]
        process = subprocess.Popen(  # noqa: S603  (this interpreter's pytest, the caller's arguments)
            [*PYTEST, "-m", marker, "-p", "no:cacheprovider", *argv, *paths],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **extra},
            # the main lane is the longest: the lanes beside it take what CPU it leaves (on two
            # cores four lanes at one priority left main a third of a core and ended with it
            # running alone for minutes)
            preexec_fn=lambda: os.nice(BACKGROUND_NICENESS),
        )
        code, cpu = _wait(process)
        print(f"===== -m {marker}: exit {code} after {time.monotonic() - started:.0f} s "
              f"({cpu:.0f} s CPU) =====", file=log, flush=True)  # fmt: skip
        codes.append(code)


def _needs_test_database(steps: list[tuple[str, dict[str, str]]]) -> bool:
    return any("DATABASE_URL" in extra for _, extra in steps)


def main(argv: list[str]) -> int:
    background = lanes()
    url = os.environ.get("DATABASE_URL")
    own = [extra["DATABASE_URL"] for steps in background.values() for _, extra in steps
           if "DATABASE_URL" in extra]  # fmt: skip
    with contextlib.ExitStack() as stack:
        logs = {
            name: stack.enter_context(tempfile.TemporaryFile(mode="w+", encoding="utf-8"))
            for name in background
        }
        codes: dict[str, list[int]] = {name: [] for name in background}
        # the lanes that use no copy of the migrated template (the fuzz and the benchmarks,
        # the drills: servers and databases of their own) start at once, on the core the
        # template's migration (one process, about 25 s) leaves free
        early = {n: steps for n, steps in background.items() if not _needs_test_database(steps)}
        threads = start_lanes(early, argv, logs, codes)
        if url and "--create-db" not in argv and prepare_test_databases([url, *own]):
            argv = ["--reuse-db", *argv]
        late = {n: steps for n, steps in background.items() if n not in early}
        threads += start_lanes(late, argv, logs, codes)
        return run(threads, logs, codes, argv)


def start_lanes(lanes_: dict, argv: list[str], logs, codes) -> list[threading.Thread]:
    threads = [
        threading.Thread(target=run_lane, args=(steps, argv, logs[name], codes[name]))
        for name, steps in lanes_.items()
    ]
    for thread in threads:
        thread.start()
    return threads


def run(threads: list[threading.Thread], logs, codes: dict[str, list[int]], argv: list[str]):
    started = time.monotonic()
    try:
        main = subprocess.Popen(  # noqa: S603
            [*PYTEST, "-m", MAIN_MARKERS, *argv]
        )
        main_code, main_cpu = _wait(main)
    finally:
        main_seconds = time.monotonic() - started
        for thread in threads:
            thread.join()
    summary = [f"main exit {main_code} after {main_seconds:.0f} s ({main_cpu:.0f} s CPU)"]
    for name, log in logs.items():
        log.seek(0)
        print(f"\n===== lane {name} (run alongside) =====", flush=True)
        print(log.read(), flush=True)
        summary.append(f"{name} exits {codes[name]}")
    print("; ".join(summary), flush=True)
    return main_code or next((c for lane in codes.values() for c in lane if c), 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

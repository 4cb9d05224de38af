"""The benchmark runner's contract: one line per figure, a failing module makes it exit 1, and
the short form of every benchmark runs (CI)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest

from tests.bench import __main__ as runner

from .conftest import ROOT, subprocess_env


@pytest.mark.bench  # a fresh SQLite database migrated in a subprocess: 35 s, in the side lane
def test_runner_sets_up_a_fresh_database_and_prints_the_baseline(tmp_path):
    database = tmp_path / "bench.sqlite3"
    database.write_text("stale")  # the runner starts from a fresh file
    env = subprocess_env(
        {"DATABASE_URL": None, "BENCH_SKIP_DEMO": "1", "BENCH_SQLITE_PATH": str(database)}
    )
    result = subprocess.run(
        [sys.executable, "-m", "tests.bench", "baseline"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"# database: sqlite3 {database}" in result.stdout
    assert re.search(r"^bare Django view median: \d+\.\d+ ms$", result.stdout, re.M)
    assert re.search(r"^bare Django view queries: 0 per request$", result.stdout, re.M)


def test_a_failing_module_is_reported_and_the_run_fails(monkeypatch, capsys):
    monkeypatch.setattr(runner, "setup_django", lambda: None)
    monkeypatch.setattr(
        runner, "bench_modules", lambda: ["tests.infra.failing_bench", "tests.infra.good_bench"]
    )
    assert runner.main([]) == 1
    out = capsys.readouterr()
    assert "FAILED tests.infra.failing_bench: RuntimeError: broken on purpose" in out.out
    assert "good figure: 42 ms" in out.out  # the other modules still ran
    assert "1 benchmark module(s) failed" in out.err


def test_report_formats_values():
    lines = []

    class Stream:
        def write(self, text):
            lines.append(text)

        def flush(self):
            pass

    report = runner.Report(stream=Stream())
    report.line("a", 1.23456, "ms")
    report.line("b", 1234.5, "ms")
    report.line("c", 3, "per request")
    report.line("d", "n/a")
    assert "".join(lines).splitlines() == [
        "a: 1.23 ms",
        "b: 1234.5 ms",
        "c: 3 per request",
        "d: n/a",
    ]


def _short_form_database(tmp_path) -> dict[str, str | None]:
    """The short form's own database: on PostgreSQL (CI) a fresh ``<name>_bench_short`` on the
    same server, dropped first; otherwise a fresh SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        return {"DATABASE_URL": None, "BENCH_SQLITE_PATH": str(tmp_path / "bench.sqlite3")}
    import dj_database_url
    import psycopg
    from psycopg import sql

    cfg = dj_database_url.parse(url)
    name = f"{cfg['NAME']}_bench_short"
    params = {
        "host": cfg.get("HOST") or None,
        "port": cfg.get("PORT") or None,
        "user": cfg.get("USER") or None,
        "password": cfg.get("PASSWORD") or None,
        "dbname": "postgres",
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
    return {"DATABASE_URL": url.rsplit("/", 1)[0] + "/" + name}


@pytest.mark.bench
def test_every_benchmark_runs_in_its_short_form(tmp_path):
    """`python -m tests.bench --short`: every bench module at the demo's size, one round, on a
    database of its own, so a change that breaks a benchmark (a new NOT NULL column its bulk
    INSERT does not fill, a type SQLite cannot bind, a page whose queries grow) fails CI."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "tests.bench", "--short"],
        cwd=ROOT,
        env=subprocess_env(_short_form_database(tmp_path)),
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "FAILED" not in result.stdout, output[-6000:]
    for module in runner.bench_modules():
        assert f"## {module.rsplit('.', 1)[-1]}" in result.stdout
    print(f"short form: {time.monotonic() - started:.0f} s")  # shown with -s; CI's budget

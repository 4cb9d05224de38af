"""The benchmark runner's contract: one line per figure, a failing module makes it exit 1."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.bench import __main__ as runner

from .conftest import ROOT, subprocess_env


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

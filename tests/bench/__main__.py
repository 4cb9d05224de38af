"""`python -m tests.bench` (`make bench`): set up a database, load the demo data, then run every
``tests/bench/bench_*.py`` module's ``run(report)`` in name order.

Contract for bench modules::

    def run(report) -> None:
        report.line("catalogue page (demo size) median", 12.3, "ms")

``report.line(label, value, unit)`` prints ``label: value unit``. A module that raises is
reported as a failed line, the other modules still run, and the runner exits non-zero at the end.

The database is DATABASE_URL when set (PostgreSQL: migrated in place), otherwise a fresh SQLite
file under var/bench/ that is deleted and recreated on every run.

``--short`` (CI, tests/infra/test_bench_runner.py): every module at the demo's size, each timed
call once (``util.short()``, ``util.scale()``), so a benchmark broken by a change of the schema
or the code fails the suite within a minute; its figures mean nothing.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import time
import traceback
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
BENCH_DIR = Path(__file__).resolve().parent


class Report:
    """Prints one line per figure and remembers failures."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stdout
        self.lines: list[tuple[str, object, str]] = []
        self.failures: list[str] = []
        self.module = ""

    def line(self, label: str, value: object, unit: str = "") -> None:
        if isinstance(value, float):
            text = f"{value:.2f}" if abs(value) < 100 else f"{value:.1f}"
        else:
            text = str(value)
        self.lines.append((label, value, unit))
        print(f"{label}: {text}{' ' + unit if unit else ''}", file=self.stream, flush=True)

    def fail(self, module: str, error: BaseException) -> None:
        self.failures.append(module)
        print(f"FAILED {module}: {type(error).__name__}: {error}", file=self.stream, flush=True)


def bench_modules() -> list[str]:
    return sorted(f"tests.bench.{p.stem}" for p in BENCH_DIR.glob("bench_*.py"))


def prepare_database() -> None:
    if os.environ.get("DATABASE_URL"):
        subprocess.run([sys.executable, str(ROOT / "scripts" / "ensure_database.py")], check=True)
    else:
        path = Path(os.environ.get("BENCH_SQLITE_PATH") or ROOT / "var" / "bench" / "bench.sqlite3")
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["BENCH_SQLITE_PATH"] = str(path)


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.bench"
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # whitenoise warns when collectstatic has not run; the benches do not time static files
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")
    prepare_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    db = settings.DATABASES["default"]
    print(f"# database: {db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}", flush=True)
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not os.environ.get("BENCH_SKIP_DEMO"):  # only the runner's own test skips it
        call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"# set-up (migrate + demo data): {time.perf_counter() - started:.1f} s", flush=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--short" in argv:
        argv = [a for a in argv if a != "--short"]
        os.environ["BENCH_SHORT"] = "1"
        print("# short form: demo size, one round (a check that every bench runs)", flush=True)
    sys.path.insert(0, str(ROOT))
    setup_django()
    report = Report()
    modules = bench_modules()
    if argv:  # `python -m tests.bench catalogue` runs only the modules whose name contains it
        modules = [m for m in modules if any(a in m for a in argv)]
    for name in modules:
        report.module = name
        print(f"## {name.rsplit('.', 1)[-1]}", flush=True)
        try:
            module = importlib.import_module(name)
            module.run(report)
        except Exception as exc:  # noqa: BLE001  (a failing bench must not stop the others)
            traceback.print_exc()
            report.fail(name, exc)
    if report.failures:
        print(
            f"# {len(report.failures)} benchmark module(s) failed: " + ", ".join(report.failures),
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

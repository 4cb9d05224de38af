#!/usr/bin/env python3
"""The whole suite, as `make test` and CI run it.

The property-based API run (tests/fuzz: schemathesis against its own gunicorn and SQLite file, about
seven minutes) needs no test database, so it runs in a second pytest process alongside the rest
(which uses DATABASE_URL's test database): the wall time is about the longer of the two, not their
sum. Arguments go to both processes. The exit code is the first non-zero of the two, so "no tests
collected" (5) in either fails too; the fuzz process's output is printed after the main one's.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile


def main(argv: list[str]) -> int:
    pytest = [sys.executable, "-m", "pytest"]
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as fuzz_log:
        fuzz = subprocess.Popen(  # noqa: S603  (this interpreter's pytest, the caller's arguments)
            [*pytest, "-m", "fuzz", "-p", "no:cacheprovider", *argv],
            stdout=fuzz_log,
            stderr=subprocess.STDOUT,
        )
        try:
            rest = subprocess.call([*pytest, "-m", "not fuzz", *argv])  # noqa: S603
        finally:
            fuzz_code = fuzz.wait()
        fuzz_log.seek(0)
        print("\n========== tests/fuzz (run alongside) ==========", flush=True)
        print(fuzz_log.read(), flush=True)
    print(f"main suite exit {rest}, fuzz exit {fuzz_code}", flush=True)
    return rest or fuzz_code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

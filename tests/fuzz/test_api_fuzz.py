"""Property-based run of schemathesis over every operation in /api/schema/: no request, valid or
not, may make the portal answer 5xx. Anonymous, citizen and superuser (basic auth) passes, each
with 60 examples per operation and then stateful: scenarios of up to six calls that feed one
response into the next request along the links schemathesis infers from the schema (an item
code from the item list into the item, a created application's reference into its actions...).

About 100 s per pass on two cores (the generation, not the server, is the cost; more workers do
not help), so some six minutes with the demo load.

Knobs: FUZZ_EXAMPLES (examples per operation and pass; default 60: with the open-data and
bundle endpoints, 100 took the three passes to ten minutes and CI past its 20; `.ci/run` sets 15
and `make fuzz` runs 60: on a slower machine CI's work alone was over 20 minutes of two
cores), FUZZ_WORKERS (2),
FUZZ_SEED, FUZZ_PHASES (default "examples,fuzzing,stateful"; add "coverage" for schemathesis'
boundary values: about 3000 more requests per pass, ~2 minutes here)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.fuzz

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = os.environ.get("FUZZ_EXAMPLES")
SEED = os.environ.get("FUZZ_SEED", "20200601")
PHASES = os.environ.get("FUZZ_PHASES", "examples,fuzzing,stateful")


def schemathesis(
    live_portal, *extra: str, examples: str, report_dir: Path
) -> subprocess.CompletedProcess:
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        str(live_portal.schema),
        "--url",
        live_portal.url,
        "--checks",
        "not_a_server_error",
        "--max-examples",
        EXAMPLES or examples,
        "--seed",
        SEED,
        "--phases",
        PHASES,
        "--workers",
        os.environ.get("FUZZ_WORKERS", "2"),
        "--request-timeout",
        "30",
        "--suppress-health-check",
        "all",
        "--continue-on-failure",
        "--no-color",
        "--output-truncate",
        "false",
        "--report",
        "ndjson",
        "--report-dir",
        str(report_dir),
        *extra,
    ]
    return subprocess.run(
        command, cwd=report_dir, capture_output=True, text=True, timeout=1500, env={**os.environ}
    )


def _summary(result: subprocess.CompletedProcess, live_portal) -> str:
    out = result.stdout
    failures = out[out.find("FAILURES") :] if "FAILURES" in out else out[-6000:]
    # the generated bodies can be huge: keep the failing operation names and the curl lines short
    failures = "\n".join(line[:600] for line in failures.splitlines())
    server_errors = [
        line for line in live_portal.log.read_text().splitlines() if re.search(r"Error|Trace", line)
    ]
    return (
        failures[:15000]
        + "\n--- server log (errors) ---\n"
        + "\n".join(server_errors[-60:])
        + "\n"
        + result.stderr[-2000:]
    )


def _stateful_scenarios(stdout: str) -> int:
    """How many stateful scenarios ran (0 when the phase did not run)."""
    section = stdout[stdout.find("Stateful (") :] if "Stateful (" in stdout else ""
    found = re.search(r"Scenarios:\s+(\d+)", section)
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize(
    ("who", "examples"),
    [
        pytest.param([], "60", id="anonymous"),
        pytest.param(["--auth", "fuzz-citizen:fuzz-citizen-pass"], "60", id="citizen"),
        pytest.param(["--auth", "fuzz-admin:fuzz-admin-pass"], "60", id="superuser"),
    ],
)
def test_no_operation_answers_5xx(live_portal, who, examples, tmp_path):
    result = schemathesis(live_portal, *who, examples=examples, report_dir=tmp_path)
    assert "No operations" not in result.stdout, result.stdout
    assert result.returncode == 0, _summary(result, live_portal)
    if "stateful" in PHASES.split(","):
        # the links are inferred from the schema; none inferred would skip the phase silently
        # (39-49 scenarios at 30 examples, more than 50 at 60)
        count = int(EXAMPLES or examples)
        assert _stateful_scenarios(result.stdout) > count // 2, result.stdout[-6000:]

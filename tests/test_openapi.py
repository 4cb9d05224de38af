"""The committed openapi.yaml is the API's contract: this test fails when the code and the file
drift apart, so every API change shows up in review. Refresh the file with `make schema`."""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "openapi.yaml"
REFRESH = "make schema   (manage.py spectacular --validate --fail-on-warn --file openapi.yaml)"


def generate(target: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}
    env.pop("DATABASE_URL", None)  # the schema does not depend on the database
    return subprocess.run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(target),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_schema_is_valid_and_matches_the_committed_openapi_yaml(tmp_path):
    generated = tmp_path / "openapi.yaml"
    result = generate(generated)
    assert result.returncode == 0, (
        "drf-spectacular reported errors or warnings (every one must be fixed: document the "
        f"responses with extend_schema, name colliding enums):\n{result.stderr}"
    )
    assert COMMITTED.exists(), f"openapi.yaml is not committed; create it with: {REFRESH}"
    old = COMMITTED.read_text(encoding="utf-8").splitlines(keepends=True)
    new = generated.read_text(encoding="utf-8").splitlines(keepends=True)
    if old != new:
        diff = "".join(difflib.unified_diff(old, new, "openapi.yaml (committed)", "generated"))
        if len(diff) > 12000:
            diff = diff[:12000] + "\n... (diff cut)\n"
        raise AssertionError(
            f"The API changed but openapi.yaml was not refreshed. Review the diff, then run:\n"
            f"  {REFRESH}\n\n{diff}"
        )

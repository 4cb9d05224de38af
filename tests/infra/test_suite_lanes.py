"""scripts/run_suite.py runs each background marker over its own files only (MARKER_PATHS): a test
given that marker anywhere else would run in no lane at all, since the main lane deselects it.
The markers are set in source (``pytest.mark.<name>``, ``pytestmark``) or, for the browser tests,
by tests/browser/conftest.py; this reads the sources rather than collecting the suite four times."""

from __future__ import annotations

import importlib.util
import re
import sys

from .conftest import ROOT


def _run_suite():
    spec = importlib.util.spec_from_file_location("run_suite", ROOT / "scripts" / "run_suite.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    return module


def test_each_background_marker_is_used_only_in_its_lane_files():
    paths = _run_suite().MARKER_PATHS
    misplaced = []
    for source in sorted((ROOT / "tests").rglob("*.py")):
        relative = source.relative_to(ROOT).as_posix()
        text = source.read_text(encoding="utf-8")
        for marker, homes in paths.items():
            if not re.search(rf"\bmark\.{marker}\b", text):
                continue
            if not any(relative == home or relative.startswith(home + "/") for home in homes):
                misplaced.append(f"{relative}: {marker}")
    assert misplaced == []


def test_every_lane_file_exists_and_a_named_test_overrides_them():
    module = _run_suite()
    for homes in module.MARKER_PATHS.values():
        for home in homes:
            assert (ROOT / home).exists(), home
    assert module._names_tests(["tests/browser/test_cases.py::test_apply_approve_and_rate"])
    assert not module._names_tests(["-x", "--reuse-db"])


def test_the_lanes_that_start_early_use_no_test_database(monkeypatch):
    """The lanes without a database of their own start before the main lane's test database is
    copied from the template, on DATABASE_URL's name: a test there that asked for the database
    made and then dropped the main lane's own, mid-run (seen in CI: eleven errors in main)."""
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_ci")
    monkeypatch.setenv("CI_DRILLS", "1")
    module = _run_suite()
    early = [
        marker
        for steps in module.lanes().values()
        if not module._needs_test_database(steps)
        for marker, _ in steps
    ]
    asks = re.compile(r"django_db|\bdb\b\s*[,)]|transactional_db|live_server")
    for marker in early:
        for home in module.MARKER_PATHS[marker]:
            path = ROOT / home
            for source in [path] if path.is_file() else sorted(path.rglob("*.py")):
                assert not asks.search(source.read_text(encoding="utf-8")), (marker, source)

"""Nothing outside tests/ and docs/ reads the team's ../shared folder: the portal must run from
a clone on its own (the reference data was copied into migrations and fixtures)."""

from __future__ import annotations

import re

from .conftest import ROOT

PATTERN = re.compile(r"(\.\./shared|/work/shared|shared/reference|shared/notes)")
SKIP_DIRS = {
    ".venv",
    ".git",
    "node_modules",
    "staticfiles",
    "var",
    "media",
    "tests",
    "docs",
    "__pycache__",
    ".ruff_cache",
    ".pytest_cache",
    "test-results",
}
SUFFIXES = {
    ".py",
    ".html",
    ".txt",
    ".json",
    ".csv",
    ".yaml",
    ".yml",
    ".toml",
    ".cfg",
    ".sh",
    ".js",
    ".css",
    ".po",
}


def test_no_code_reads_the_shared_folder():
    offenders = []
    for path in ROOT.rglob("*"):
        rel = path.relative_to(ROOT)
        if any(part in SKIP_DIRS or part.endswith(".egg-info") for part in rel.parts):
            continue
        if not path.is_file() or (path.suffix not in SUFFIXES and path.name != "Makefile"):
            continue
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if PATTERN.search(line):
                offenders.append(f"{rel}:{number}: {line.strip()[:120]}")
    assert not offenders, "run-time references to the shared folder:\n" + "\n".join(offenders)

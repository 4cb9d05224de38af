"""`make run` on a new machine: a fresh SQLite file migrates before the database cache's table
exists. Runs in the side lane (``migrates``, scripts/run_suite.py): it migrates a database of
its own in a subprocess (about 40 s) and needs no test database."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.migrates  # the side lane (scripts/run_suite.py): about 40 s of migrating
def test_a_fresh_database_migrates_before_the_cache_table_exists(tmp_path):
    """`make run` migrates a new SQLite file, then makes the database cache's table: the data
    migrations' saves must not reach for the cache (they did: 'no such table: portal_cache')."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
    }
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]

"""The web master warms the application before it forks (ADR 0126): after ``portal.warm.warm``
the URLs and views, the cache's client library and the compiled templates are loaded, so a new
worker's first page does not load them, and no connection is left open to be shared by the
workers forked afterwards."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import ROOT, subprocess_env

PROBE = """
import json, os, sys, time
import portal.wsgi
from portal.warm import warm
started = time.perf_counter()
compiled = warm()
took = time.perf_counter() - started
links = [os.readlink(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")
         if os.path.exists(f"/proc/self/fd/{fd}")]
from django.db import connections
print(json.dumps({
    "compiled": compiled,
    "took": took,
    "loaded": [m for m in ("portal.urls", "legal_aid.views", "redis") if m in sys.modules],
    "sockets": [link for link in links if link.startswith("socket:")],
    "connections": [a for a in connections if connections[a].connection is not None],
}))
"""


def test_the_master_loads_what_first_requests_would_and_opens_no_connection(production_env):
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=subprocess_env(production_env),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    warmed = json.loads(result.stdout.strip().splitlines()[-1])
    assert warmed["loaded"] == ["portal.urls", "legal_aid.views", "redis"]
    assert warmed["compiled"] > 150  # the portal's and the admin's templates
    assert warmed["sockets"] == [] and warmed["connections"] == []

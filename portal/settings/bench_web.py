"""`make bench-web` only: the production profile unchanged, plus the bare view the load test
compares every page with (``/bench/bare/``, the bench URLconf). Everything else, including the
required secrets, comes from the environment exactly as in production (tests/bench/web.py)."""

from .production import *  # noqa: F403

ROOT_URLCONF = "portal.bench_urls"

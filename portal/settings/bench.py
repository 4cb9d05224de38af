"""Benchmark profile (`make bench`): like dev but DEBUG off, a local-memory cache, tasks run
synchronously, no API throttling, and a URLconf with a bare view to compare against.

The database is DATABASE_URL when set, otherwise the SQLite file the runner recreates under
var/bench/ (see tests/bench/__main__.py, which sets BENCH_SQLITE_PATH)."""

import os

import dj_database_url

from .base import *  # noqa: F403
from .base import BASE_DIR, Q_CLUSTER, REST_FRAMEWORK

DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
ROOT_URLCONF = "portal.bench_urls"

BENCH_SQLITE_PATH = os.environ.get(
    "BENCH_SQLITE_PATH", str(BASE_DIR / "var" / "bench" / "bench.sqlite3")
)
if not os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(f"sqlite:///{BENCH_SQLITE_PATH}", conn_max_age=0)}
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"},
}
# Tasks run in the request, except for `make bench-city`, whose portal queues them (to the ORM
# broker) as production does: the city bench measures intake, not the sending of messages.
Q_CLUSTER = {**Q_CLUSTER, "sync": not os.environ.get("BENCH_CITY")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


class _NoRates(dict):
    """Every throttle scope, known or not, has no rate: DRF then lets every request through."""

    def __getitem__(self, key):
        return None

    def __contains__(self, key):
        return True


REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_THROTTLE_RATES": _NoRates(),
}

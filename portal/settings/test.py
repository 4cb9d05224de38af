"""Test profile: tasks run synchronously, passwords hash fast, media goes to a temp dir."""

import tempfile

from .base import *  # noqa: F403
from .base import Q_CLUSTER

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
# Tests serve no collected files (the live server serves static/ itself); an empty directory
# keeps whitenoise from warning about a missing one in every test run.
STATIC_ROOT = tempfile.mkdtemp(prefix="portal-test-static-")
# the development CA and keys of a test run (made on first use, EC keys: milliseconds)
SIGNING = {**SIGNING, "DIR": tempfile.mkdtemp(prefix="portal-test-signing-")}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# No courier unless a test starts one (tests/servers/courier.py): a developer's `make run`
# courier on 8025 never gets a test's orders; the discard port refuses at once.
COURIER = {**COURIER, "URL": "http://127.0.0.1:9"}  # noqa: F405
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"},
}
REST_FRAMEWORK = {**REST_FRAMEWORK}  # noqa: F405

"""Production profile. SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL must come from the environment;
`manage.py check --deploy --fail-level WARNING` passes with this profile (tests/infra).

Behind a TLS-terminating proxy that sets X-Forwarded-Proto. Serve with
`gunicorn portal.wsgi` (reads gunicorn.conf.py), static files by whitenoise after
`manage.py collectstatic`, tasks by `manage.py qcluster`."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from .base import *  # noqa: F403
from .base import BASE_DIR, MIDDLEWARE, STORAGES, env_bool, env_list

DEBUG = False

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only") or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("Set SECRET_KEY to a random string of at least 50 characters.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS, e.g. ALLOWED_HOSTS=portal.qingdao.gov.cn")
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("Set DATABASE_URL, e.g. postgres://portal@db:5432/portal")
# gunicorn's workers are processes that serve one request at a time: a connection kept for 60 s
# saves the connect on every request (health-checked before reuse).
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", "60"))  # noqa: F405
if not os.environ.get("REDIS_URL"):
    raise ImproperlyConfigured(
        "Set REDIS_URL, e.g. redis://redis:6379/0: rate limits and lockouts must be counted "
        "atomically across every process."
    )


def _secret(name: str, minimum: int = 32) -> str:
    """A secret that has a development default in base.py: production refuses to start
    without a real one (at least ``minimum`` characters, not the development value)."""
    value = os.environ.get(name, "")
    if len(value) < minimum or value.startswith("dev-") or len(set(value)) < 5:
        raise ImproperlyConfigured(
            f"Set {name} to a random string of at least {minimum} characters."
        )
    return value


COURIER_WEBHOOK_SECRET = _secret("COURIER_WEBHOOK_SECRET")
if NOTIFICATIONS.get("GATEWAY_URL"):  # noqa: F405
    NOTIFICATIONS = {**NOTIFICATIONS, "GATEWAY_SECRET": _secret("NOTIFY_GATEWAY_SECRET")}  # noqa: F405

# The electronic seal: every document is signed with a configured key, never a development one.
SIGNING = {**SIGNING, "DEVELOPMENT_KEYS": False}  # noqa: F405
if not SIGNING["AUTHORITIES"]:
    raise ImproperlyConfigured(
        "Set SIGNING_AUTHORITIES to the authorities' signing keys (JSON: code -> PKCS#12 file "
        "or PKCS#11 token; README, 'Electronic seal')."
    )
if not SIGNING["TRUST_ROOTS"]:
    raise ImproperlyConfigured(
        "Set SIGNING_TRUST_ROOTS to the PEM file(s) of the CA chain of the signing keys."
    )

# People use the API through the pages' session; scripts of people are not a production channel,
# and Basic auth would send a password with every call.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_AUTHENTICATION_CLASSES": [
        c
        for c in REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]  # noqa: F405
        if not c.endswith("BasicAuthentication")
    ],
}

# /healthz is answered first, before the HTTPS redirect and the host check (see the middleware).
MIDDLEWARE = ["portal.views.HealthCheckMiddleware", *MIDDLEWARE]

STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 31536000  # hashed names: cache for a year
WHITENOISE_KEEP_ONLY_HASHED_FILES = True  # every reference goes through {% static %}
# Source maps (megabytes, in the API docs bundles) are for developer tools only: not worth the
# minute brotli spends on them in collectstatic.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# Behind the proxy: the origin the browser saw (https://portal...) must be trusted for CSRF.
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", ",".join(f"https://{h}" for h in ALLOWED_HOSTS if "*" not in h)
)

LOGGING = {
    **LOGGING,  # noqa: F405
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

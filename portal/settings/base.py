"""Settings shared by every profile. Everything that differs between machines comes from the
environment, with defaults that are safe for a developer's laptop."""

import datetime
import json
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_fsm",
    "django_q",
    "axes",
    "simple_history",
    "rest_framework_api_key",
    "portal",
    "portal.workflow",
    "portal.catalogue",
    "portal.accounts",
    "portal.notifications",
    "portal.ratings",
    "portal.signing",
    "outlets",
    "approvals",
    "approvals.proactive",
    "legal_aid",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.RequestGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
                "portal.notifications.context_processors.unread_messages",
            ],
        },
    },
]

# SQLite by default; DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal switches to PostgreSQL.
# Connections close after each request unless DB_CONN_MAX_AGE says otherwise (production keeps
# them 60 s): the development server runs each browser connection in a thread of its own, and
# kept connections piled up to "too many clients" on PostgreSQL under a browser and the worker.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
# A streaming replica for the public pages' reads (portal/db.py, ADR 0113), and PgBouncer in
# transaction mode in front of the primary: no server-side cursors (a cursor would outlive the
# transaction its server connection is lent for).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["portal.db.ReplicaRouter"]
    MIDDLEWARE.insert(MIDDLEWARE.index("portal.middleware.RequestGuardMiddleware") + 1,
                      "portal.db.PrimaryPinMiddleware")  # fmt: skip
if os.environ.get("DATABASE_POOL_MODE") == "transaction":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # The web server and the qcluster write at the same time: take the write lock when a
    # transaction starts, so a reader that later writes waits instead of "database is locked".
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# django-axes first: it refuses a locked-out account or address before any password is checked,
# and counts failures of the sign-in page, the admin and the API's Basic auth alike (ADR 0080).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, the session user loaded with their work bindings (ADR 0124)
    "portal.accounts.backends.ModelBackend",
    # sign-in through the province's unified identity platform (answers only its callback)
    "portal.accounts.unified.UnifiedIdentityBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30")))
# Either is enough to lock: too many failures for one account, or from one client address.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "portal.net.client_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "code"]

# How many proxies in front of the portal append to X-Forwarded-For (0: reached directly, the
# header is ignored). Throttles, lockouts and logs all use portal.net.client_ip.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "catalogue:home"
LOGOUT_REDIRECT_URL = "catalogue:home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Media (uploaded materials and evidence, issued certificates and signed documents) in
# S3-compatible object storage when S3_BUCKET is set, so that no web node keeps on its disk what
# another needs. Private: no ACL, every read is a presigned URL the portal hands out for
# MEDIA_URL_SECONDS after its own permission check (portal/files.py). Credentials come from
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the host's role) as boto3 reads them.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
MEDIA_URL_SECONDS = int(os.environ.get("MEDIA_URL_SECONDS", "60"))
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION", "cn-north-1"),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": MEDIA_URL_SECONDS,
            "file_overwrite": False,
            "addressing_style": "path",
            "signature_version": "s3v4",
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# Every request body, whichever view or parser reads it (portal.middleware.RequestGuardMiddleware):
# JSON and forms up to DATA_UPLOAD_MAX_MEMORY_SIZE, multipart uploads (several 10 MB files) more.
MAX_REQUEST_BODY_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE
MAX_UPLOAD_REQUEST_BYTES = int(os.environ.get("MAX_UPLOAD_REQUEST_MB", "60")) * 1024 * 1024

REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    # Redis when configured (required in production): the cached public pages, the working-day
    # corrections and the sessions are read on every request, and the database cache cost each
    # of them a query (and a write transaction to set one). Without Redis (`make run`, tests):
    # the database, shared by the web server and the task worker (ADR 0099).
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"}
    ),
    # Rate limits need an atomic increment shared by every process: Redis when configured
    # (required in production), else a locked in-process counter (one development process).
    "ratelimit": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"}
    ),
}

# Sessions are read on every signed-in request: from the cache (Redis), written through to the
# database so a Redis restart signs nobody out.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Staff work pages (worklists, statistics) kept whole per viewer under the versions of their data
# (portal/privatepage.py, ADR 0123); PRIVATE_PAGE_CACHE=0 renders every request.
PRIVATE_PAGE_CACHE = env_bool("PRIVATE_PAGE_CACHE", True)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "portal.accounts.authentication.SystemClientAuthentication",
        # HTTP Basic for people's scripts and tests; off in production (API_BASIC_AUTH).
        *(
            ["portal.accounts.authentication.LockoutBasicAuthentication"]
            if env_bool("API_BASIC_AUTH", True)
            else []
        ),
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.PortalPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": [
        "portal.api.throttling.AnonThrottle",
        "portal.api.throttling.SystemClientThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "120/minute"),
        "system": os.environ.get("API_SYSTEM_RATE", "600/minute"),
        "otp": "5/minute",
    },
    "EXCEPTION_HANDLER": "portal.api.exceptions.problem_exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "青岛政务服务门户 API (Qingdao government-service portal)",
    "DESCRIPTION": (
        "Service catalogue, handling lists, cases, proactive approvals, self-service outlets "
        "and legal aid."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # One name per choice set, so fields called "kind" or "level" in different apps do not
    # collide (add your app's enums here).
    "ENUM_NAME_OVERRIDES": {
        "ItemKindEnum": "portal.catalogue.models.ItemKind",
        "ListKindEnum": "portal.catalogue.models.ListKind",
        "DepartmentLevelEnum": "portal.catalogue.models.DepartmentLevel",
        "RegionLevelEnum": "portal.catalogue.models.RegionLevel",
        "ApplicantKindEnum": "portal.catalogue.models.ApplicantKind",
        "DomainEnum": "portal.catalogue.models.Domain",
        "MaterialSourceEnum": "portal.catalogue.models.MaterialSource",
        "ItemChannelEnum": "portal.catalogue.selectors.CHANNELS",
        "LegalAidCentreKindEnum": "legal_aid.models.CentreKind",
        "LegalAidBodyKindEnum": "legal_aid.models.BodyKind",
        "LegalAidCategoryEnum": "legal_aid.models.Category",
        "LegalAidChannelEnum": "legal_aid.models.Channel",
        # (named before the seal's verdict also had an "outcome": kept, so the schema is stable)
        "OutcomeEnum": "legal_aid.models.Outcome",
        "CaseStatusEnum": "approvals.models.Status",
        "CaseChannelEnum": "approvals.models.Channel",
        "CaseApplicantKindEnum": "approvals.models.ApplicantKind",
        "CaseMaterialKindEnum": "approvals.models.MaterialKind",
        "OutletKindEnum": "outlets.models.OutletKind",
        "OutletOperatorEnum": "outlets.models.Operator",
        # The proactive API documents its read-only enums inline (values only), so their
        # overrides are value lists.
        "ProactiveTriggerEnum": ["licence_change", "expiry", "case_history"],
        "CompanyStatusEnum": ["active", "suspended", "deregistered"],
    },
}

# django-q2: the ORM broker by default, Redis when REDIS_URL is set.
Q_CLUSTER: dict = {
    "name": "portal",
    "workers": int(os.environ.get("Q_WORKERS", "2")),
    "timeout": 60,
    "retry": 120,
    "max_attempts": 5,
    "catch_up": False,
    "label": "Tasks",
}
if os.environ.get("REDIS_URL"):
    Q_CLUSTER["redis"] = os.environ["REDIS_URL"]
else:
    Q_CLUSTER["orm"] = "default"

# Notifications: "outbox" stores messages locally; "http" posts signed JSON to a gateway.
NOTIFICATIONS = {
    "SMS_BACKEND": os.environ.get("SMS_BACKEND", "portal.notifications.backends.OutboxBackend"),
    "WECHAT_BACKEND": os.environ.get(
        "WECHAT_BACKEND", "portal.notifications.backends.OutboxBackend"
    ),
    "GATEWAY_URL": os.environ.get("NOTIFY_GATEWAY_URL", ""),
    "GATEWAY_SECRET": os.environ.get("NOTIFY_GATEWAY_SECRET", ""),
}
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@portal.qingdao.example")

# The courier signs its webhook calls with this secret (HMAC-SHA256) on top of its API key.
# Production refuses to start without it; the development value is for `make run` only.
COURIER_WEBHOOK_SECRET = os.environ.get("COURIER_WEBHOOK_SECRET", "dev-courier-secret")
# The courier plug-in orders are placed with (approvals/proactive/couriers, ADR 0098): its name,
# its base URL (`make run` starts the development courier on 8025), and the HMAC secret both
# sides share (by default the webhook's).
COURIER = {
    "PLUGIN": os.environ.get("COURIER_PLUGIN", "http_json"),
    "URL": os.environ.get("COURIER_URL", "http://127.0.0.1:8025"),
    "SECRET": os.environ.get("COURIER_API_SECRET", COURIER_WEBHOOK_SECRET),
}

# The electronic seal (portal/signing, ADR 0097). SIGNING_AUTHORITIES is JSON mapping an authority
# code (dept:<department code>, legal_aid:<centre code>, or a generic code) to its key:
#   {"dept:370200-ZJ": {"p12": "/etc/portal/keys/zj.p12", "passphrase_env": "SEAL_PASS_ZJ"},
#    "dept:370200-SP": {"pkcs11": {"module": "/usr/lib/x.so", "token": "SEAL", "key_label": "sp",
#                                  "pin_env": "SEAL_PIN_SP"}}}
# SIGNING_TRUST_ROOTS names the PEM files of the CA chain (trusted by verification, published at
# /signing/ca.pem); SIGNING_DEFAULT_AUTHORITY signs for an authority without a key of its own.
# Outside production an authority without a key gets one from the development CA under
# SIGNING_DIR (`manage.py make_dev_ca`; its pages say DEVELOPMENT KEY – NOT VALID).
SIGNING = {
    "DIR": Path(os.environ.get("SIGNING_DIR", BASE_DIR / "var" / "signing")),
    "DEVELOPMENT_KEYS": env_bool("SIGNING_DEVELOPMENT_KEYS", True),
    "AUTHORITIES": json.loads(os.environ.get("SIGNING_AUTHORITIES") or "{}"),
    "DEFAULT_AUTHORITY": os.environ.get("SIGNING_DEFAULT_AUTHORITY", ""),
    "TRUST_ROOTS": env_list("SIGNING_TRUST_ROOTS"),
}

# Where the portal is reached from outside (links in SMS and mail, QR codes on certificates).
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")

# The province's unified identity platform (山东省统一身份认证平台), OpenID Connect through
# mozilla-django-oidc (ADR 0110). Off unless OIDC_CLIENT_ID and OIDC_ISSUER (discovery) or the
# endpoints are set; the claim names and the platform's acr values are configurable (README).
UNIFIED_IDENTITY = {
    "ISSUER": os.environ.get("OIDC_ISSUER", "").rstrip("/"),
    "CLIENT_ID": os.environ.get("OIDC_CLIENT_ID", ""),
    "CLIENT_SECRET": os.environ.get("OIDC_CLIENT_SECRET", ""),
    "SCOPES": os.environ.get("OIDC_SCOPES", "openid profile phone resident_id"),
    "AUTHORIZATION_ENDPOINT": os.environ.get("OIDC_AUTHORIZATION_ENDPOINT", ""),
    "TOKEN_ENDPOINT": os.environ.get("OIDC_TOKEN_ENDPOINT", ""),
    "USERINFO_ENDPOINT": os.environ.get("OIDC_USERINFO_ENDPOINT", ""),
    "JWKS_ENDPOINT": os.environ.get("OIDC_JWKS_ENDPOINT", ""),
    "SIGN_ALGO": os.environ.get("OIDC_SIGN_ALGO", "RS256"),
    "CLAIMS": {
        "subject": os.environ.get("OIDC_CLAIM_SUBJECT", "sub"),
        "name": os.environ.get("OIDC_CLAIM_NAME", "name"),
        "resident_id": os.environ.get("OIDC_CLAIM_RESIDENT_ID", "resident_id"),
        "mobile": os.environ.get("OIDC_CLAIM_MOBILE", "phone_number"),
    },
    # the platform's acr value for each assurance level, lowest first
    "ACR": {
        "password": os.environ.get("OIDC_ACR_PASSWORD", "password"),
        "sms": os.environ.get("OIDC_ACR_SMS", "sms"),
        "face": os.environ.get("OIDC_ACR_FACE", "face"),
    },
    "TIMEOUT": int(os.environ.get("OIDC_TIMEOUT", "10")),
}

CSRF_FAILURE_VIEW = "portal.errors.csrf_failure"

# Content-Security-Policy (django-csp) and Permissions-Policy: every asset is the portal's own,
# no inline script or style (the browser tests fail on a violation; ADR 0080).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": ["self"],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}

# History of reference data (django-simple-history): who changed what, with the old values.
# Reverting from the admin would bypass the services, so it is off.
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

"""Settings every profile shares: time zone, languages, the custom user model from the start."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import CreateModel


def test_time_zone_and_languages():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]
    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE


def test_custom_user_model_is_created_by_the_first_accounts_migration():
    assert settings.AUTH_USER_MODEL == "accounts.User"
    assert get_user_model()._meta.label == "accounts.User"
    loader = MigrationLoader(None, ignore_no_migrations=True)
    first = loader.get_migration("accounts", "0001_initial")
    created = [op.name for op in first.operations if isinstance(op, CreateModel)]
    assert "User" in created
    assert first.initial


def test_no_migration_depends_on_the_default_auth_user():
    """Every FK to the user goes through settings.AUTH_USER_MODEL (swappable dependency)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    offenders = []
    for (app, name), migration in loader.disk_migrations.items():
        for op in migration.operations:
            for field in getattr(op, "fields", []) or []:
                remote = getattr(field[1], "remote_field", None)
                if remote is not None and str(getattr(remote, "model", "")).lower() == "auth.user":
                    offenders.append(f"{app}.{name}")
    assert not offenders


def test_storage_and_cache_defaults():
    assert settings.STATIC_URL == "/static/"
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE
    assert settings.Q_CLUSTER.get("sync") is True  # the test profile runs tasks inline

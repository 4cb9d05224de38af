"""Shared fixtures. Each app's tests live in tests/<app>/ with their own factories."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

"""Shared fixtures. Each app has tests/<app>/; shared factories are in tests/factories.py."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_workday_cache():
    from portal import workdays

    workdays.clear_cache()
    yield
    workdays.clear_cache()

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from outlets import hours

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def travel(monkeypatch):
    """Set the portal's clock: ``travel(datetime(...))`` (local time, Asia/Shanghai)."""

    def go(when: datetime.datetime) -> datetime.datetime:
        if when.tzinfo is None:
            when = when.replace(tzinfo=SHANGHAI)
        monkeypatch.setattr(hours, "local_now", lambda: when)
        return when

    return go

import re

import pytest
from django.core.cache import cache

from portal.notifications.models import Notification


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def last_code(mobile: str) -> str:
    """The code in the last SMS sent to ``mobile`` (what the citizen reads on their phone)."""
    message = Notification.objects.filter(channel="sms", address=mobile).latest("id")
    return re.search(r"\d{6}", message.body).group(0)


@pytest.fixture
def read_code():
    return last_code

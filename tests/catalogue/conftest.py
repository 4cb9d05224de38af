"""Fixtures of the catalogue tests.

``demo_db`` loads the demo catalogue once per test module inside a transaction that is rolled
back when the module ends, so other test folders never see it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection, transaction

from portal.catalogue import demo


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        demo.load()
        # the load's deferred foreign-key checks, fired once here rather than again at each
        # test's end (see tests/access/world.py)
        connection.check_constraints()
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _no_throttle_carry_over():
    """Anonymous API reads are throttled per client address: start every test afresh."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client

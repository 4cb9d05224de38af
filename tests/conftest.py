"""Shared fixtures. Each app has tests/<app>/; shared factories are in tests/factories.py."""

import os
from importlib.util import find_spec

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# tests/browser/ needs the lock's browser set (Playwright, axe-core); with the test set alone
# (`make install SET=test`) the rest of the suite still runs. `make test` and CI install it.
_BROWSER_SET = find_spec("playwright") and find_spec("axe_playwright_python")
collect_ignore = [] if _BROWSER_SET else ["browser"]

# The rows the data migrations create (regions, role groups, schedules, the online acceptance
# point...), serialized once when the test database is created.
_reference_rows: str | None = None


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    global _reference_rows
    from django.db import connection

    _reference_rows = getattr(connection, "_test_serialized_contents", None)
    yield
    # PostgreSQL refuses to drop the test database while anything is connected to it: the
    # threads of the concurrency and live-server tests leave their connections to the garbage
    # collector, and CI failed at the last test's teardown ("being accessed by 5 other
    # sessions"). Close this process's and end any other session before pytest-django drops it.
    if connection.vendor != "postgresql":
        return
    from django.db import connections

    with django_db_blocker.unblock():
        connections.close_all()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        connection.close()


def pytest_collection_modifyitems(items):
    """Every transactional test restores the migrations' rows when it ends (serialized rollback),
    so no test depends on the order in which transactional tests run."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            item.add_marker(
                pytest.mark.django_db(**{**marker.kwargs, "serialized_rollback": True}),
                append=False,  # closest marker: ahead of one on the test function itself
            )


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _reference_rows_present(request):
    """A transactional test flushes the database when it ends; Django restores the migrations'
    rows for the next one only while its connection still carries their serialized copy. In the
    full suite that copy was seen to go missing before the browser tests, which then found no
    regions. Restore the rows from the session's own copy when they are gone."""
    if not _is_transactional(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.core.management import call_command
    from django.db import connection

    from portal.catalogue.models import Region

    if _reference_rows and not Region.objects.exists():
        # Start from empty tables: a flush that ran post_migrate has recreated content types,
        # permissions and role groups under new keys, which the copy would collide with.
        call_command(
            "flush",
            interactive=False,
            inhibit_post_migrate=True,
            reset_sequences=False,
            verbosity=0,
        )
        connection.creation.deserialize_db_from_string(_reference_rows)
    yield


@pytest.fixture(autouse=True)
def _fresh_workday_cache():
    from portal import workdays

    workdays.clear_cache()
    yield
    workdays.clear_cache()


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Cached public pages (portal.pagecache) live in the default cache, and a test's rolled-back
    rows leave their version behind: every test starts with an empty default cache."""
    from django.core.cache import caches

    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters (portal.ratelimit) live in their own cache: every test starts with
    none spent."""
    from django.core.cache import caches

    caches["ratelimit"].clear()
    return

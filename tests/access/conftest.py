"""The demo world, loaded once for the package: the full demo (``load_demo``) plus the access
matrix's actors (``world.build_world``), in one transaction rolled back at the end. Loading the
demo is the most expensive set-up in the suite (about 60 s of CPU, two to three minutes on CI's
busy cores), so the tests that need the whole demo (the matrix, the demo's workflow histories)
share one load rather than each making its own."""

from __future__ import annotations

import pytest

from .world import _Rollback, build_world


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), _Rollback():
        yield build_world()

"""The demo world, loaded once for the package: the full demo (``load_demo``) plus the access
matrix's actors (``world.build_world``), in one transaction rolled back at the end. Loading the
demo is the most expensive set-up in the suite (about 60 s of CPU, two to three minutes on CI's
busy cores), so the tests that need the whole demo (the matrix, the demo's workflow histories)
share one load rather than each making its own. The legal-aid bulk histories are loaded at a
tenth of their volume (``DEMO_SCALE``): every kind of record and every walk, a third of the
time; ``tests/legal_aid/test_demo.py`` checks the generator, ``make run`` loads it whole."""

from __future__ import annotations

import pytest

from .world import _Rollback, build_world


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker):
    with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock(), _Rollback():
        patch.setenv("DEMO_SCALE", "0.1")
        yield build_world()

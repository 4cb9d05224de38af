"""`make run` loads the demo data once: `load_demo --if-empty` skips only after a complete load."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command

from portal.catalogue.models import ServiceItem
from portal.management.commands.load_demo import LOADED_MARKER


@pytest.fixture(autouse=True)
def _clear_marker():
    cache.delete(LOADED_MARKER)
    yield
    cache.delete(LOADED_MARKER)


@pytest.mark.django_db
def test_if_empty_does_nothing_after_a_complete_load():
    cache.set(LOADED_MARKER, "2026-11-24T00:00:00+08:00", timeout=None)
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert "already loaded" in out.getvalue()
    assert not ServiceItem.objects.exists()


@pytest.mark.django_db
def test_a_partial_load_is_not_taken_for_a_complete_one():
    call_command("load_demo", "--only", "catalogue", stdout=StringIO())
    assert ServiceItem.objects.count() > 2000
    assert cache.get(LOADED_MARKER) is None

"""A gunicorn worker, once the portal is loaded, freezes its heap and collects the young
generation less often (ADR 0071): large licence batches must not set off full collections."""

from __future__ import annotations

import gc
import runpy

import pytest

from .conftest import ROOT


@pytest.fixture
def restored_gc():
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def _hook():
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))["post_worker_init"]


def test_worker_freezes_the_loaded_heap_and_raises_the_young_threshold(restored_gc, monkeypatch):
    monkeypatch.delenv("GUNICORN_GC_THRESHOLD", raising=False)
    gc.unfreeze()
    _hook()(worker=None)
    assert gc.get_freeze_count() > 10_000  # Django and the portal, out of the collector's way
    assert gc.get_threshold()[0] == 50_000


def test_the_threshold_comes_from_the_environment(restored_gc, monkeypatch):
    monkeypatch.setenv("GUNICORN_GC_THRESHOLD", "700")
    _hook()(worker=None)
    assert gc.get_threshold()[0] == 700

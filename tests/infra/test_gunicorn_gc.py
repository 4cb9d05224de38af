"""A gunicorn worker, once the portal is loaded, freezes its heap and keeps Python's young
threshold, so that per-request garbage is freed in short pauses (ADR 0124); after its first
hundreds and thousands of requests it freezes the caches they filled; a licence batch raises the
threshold for its own duration only (ADR 0071)."""

from __future__ import annotations

import gc
import runpy
import weakref
from types import SimpleNamespace

import pytest

from portal import collector

from .conftest import ROOT


@pytest.fixture
def restored_gc(monkeypatch):
    threshold = gc.get_threshold()
    monkeypatch.setattr(collector, "_settled", 0)
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def _hooks():
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_worker_freezes_the_loaded_heap_and_keeps_a_short_young_threshold(restored_gc, monkeypatch):
    monkeypatch.delenv("GUNICORN_GC_THRESHOLD", raising=False)
    gc.unfreeze()
    _hooks()["post_worker_init"](worker=None)
    assert gc.get_freeze_count() > 10_000  # Django and the portal, out of the collector's way
    assert gc.get_threshold()[0] == 700


def test_the_threshold_comes_from_the_environment(restored_gc, monkeypatch):
    monkeypatch.setenv("GUNICORN_GC_THRESHOLD", "50000")
    _hooks()["post_worker_init"](worker=None)
    assert gc.get_threshold()[0] == 50_000


def test_a_worker_freezes_its_filled_caches_once_at_each_count(restored_gc):
    post_request = _hooks()["post_request"]
    gc.unfreeze()

    def after(served: int) -> int:
        """What the freeze count grew by after the worker's ``served``-th request."""
        before = gc.get_freeze_count()
        kept = [[] for _ in range(100)]  # a cache filled by the requests so far
        post_request(SimpleNamespace(nr=served), None, {}, None)
        grown = gc.get_freeze_count() - before
        del kept
        return grown

    assert after(199) == 0
    assert after(200) >= 100
    assert after(201) == 0
    assert after(2_005) >= 100  # a count passed between two hooks (threads) still counts
    assert after(2_006) == 0
    assert after(20_000) >= 100
    assert after(500_000) == 0  # three times in a worker's life, no more


class _Node:
    pass


def test_garbage_is_collected_before_the_freeze(restored_gc):
    gc.unfreeze()
    node = _Node()
    node.self = node  # a cycle nobody refers to: only the collector frees it
    gone = weakref.ref(node)
    del node
    assert gone() is not None
    assert collector.settle(200)
    assert gone() is None  # freed, not frozen for the worker's life

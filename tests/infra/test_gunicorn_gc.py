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


def test_a_worker_freezes_its_filled_caches_once_at_each_count(restored_gc, monkeypatch):
    post_request = _hooks()["post_request"]
    gc.unfreeze()
    freeze = gc.freeze
    frozen: list[int] = []  # the freeze count each freeze left

    def counted_freeze() -> None:
        freeze()
        frozen.append(gc.get_freeze_count())

    # Counted by call: the freeze count alone also falls when a frozen object dies.
    monkeypatch.setattr(gc, "freeze", counted_freeze)

    def after(served: int) -> int:
        """How many times the worker froze after its ``served``-th request."""
        calls = len(frozen)
        post_request(SimpleNamespace(nr=served), None, {}, None)
        return len(frozen) - calls

    kept = [[] for _ in range(100)]  # a cache filled by the first requests
    assert after(199) == 0
    assert after(200) == 1
    assert frozen[-1] >= len(kept)  # the cache is out of the collector's way
    assert after(201) == 0
    assert after(2_005) == 1  # a count passed between two hooks (threads) still counts
    assert after(2_006) == 0
    assert after(20_000) == 1
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

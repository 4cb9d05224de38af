"""The rate counter on Redis (production): one round trip per count, the window's limit holds,
and the key expires with its window. Skipped when no Redis answers on 127.0.0.1:6379."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache.backends.redis import RedisCache

from portal import ratelimit


@pytest.fixture
def redis_cache(monkeypatch):
    cache = RedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": f"t{uuid.uuid4().hex[:8]}"})
    try:
        cache.get("ping")
    except Exception as exc:  # noqa: BLE001  (no Redis here: nothing to test)
        pytest.skip(f"no Redis: {exc}")
    monkeypatch.setattr(ratelimit, "caches", {ratelimit.CACHE_ALIAS: cache})
    yield cache
    cache.clear()
    cache.close()


def test_the_limit_holds_and_the_counter_expires_with_its_window(redis_cache):
    results = [ratelimit.hit("anon", "10.0.0.1", limit=3, window=60) for _ in range(5)]
    assert results[:3] == [None, None, None]
    assert all(isinstance(wait, int) and 1 <= wait <= 60 for wait in results[3:])
    assert ratelimit.hit("anon", "10.0.0.2", limit=3, window=60) is None  # per client
    key = next(iter(redis_cache._cache.get_client().scan_iter(match="*rl:anon:10.0.0.1:*")))
    assert 0 < redis_cache._cache.get_client().ttl(key) <= 65
    ratelimit.reset("anon", "10.0.0.1", window=60)
    assert ratelimit.hit("anon", "10.0.0.1", limit=3, window=60) is None

"""Atomic rate limits shared by every process: a counter per (scope, client, window) that the
cache increments in one step (Redis ``INCR`` in production; a locked in-process counter when
no Redis is configured, which suits a single development process). The API's throttles and
the pages' quotas (one-time codes) both count here, so N parallel requests can never all pass
a limit of M < N (ADR 0080)."""

from __future__ import annotations

import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

CACHE_ALIAS = "ratelimit"


def _count(cache, key: str, timeout: int) -> int:
    """Add one to the counter ``key`` (created at 0 for ``timeout`` seconds) and return it."""
    if isinstance(cache, RedisCache):
        # One round trip: INCR creates the key at 1, EXPIRE keeps it for the window (every
        # anonymous API call counts here, and ADD then INCR was two round trips).
        redis_key = cache.make_and_validate_key(key)
        client = cache._cache.get_client(redis_key, write=True)
        pipe = client.pipeline(transaction=False)
        pipe.incr(redis_key)
        pipe.expire(redis_key, timeout)
        count, _ = pipe.execute()
        return int(count)
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout)
        return 1


def hit(scope: str, ident: str, limit: int, window: int) -> int | None:
    """Count one request of ``ident`` under ``scope``: None while at most ``limit`` requests
    fell in the current window of ``window`` seconds, else the seconds until it ends."""
    cache = caches[CACHE_ALIAS]
    now = int(time.time())
    start = now - now % window
    count = _count(cache, f"rl:{scope}:{ident}:{start}", window + 5)
    if count <= limit:
        return None
    return max(start + window - now, 1)


def reset(scope: str, ident: str, window: int) -> None:
    now = int(time.time())
    caches[CACHE_ALIAS].delete(f"rl:{scope}:{ident}:{now - now % window}")

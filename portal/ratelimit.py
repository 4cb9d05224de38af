"""Atomic rate limits shared by every process: a counter per (scope, client, window) that the
cache increments in one step (Redis ``INCR`` in production; a locked in-process counter when
no Redis is configured, which suits a single development process). The API's throttles and
the pages' quotas (one-time codes) both count here, so N parallel requests can never all pass
a limit of M < N (ADR 0080)."""

from __future__ import annotations

import time

from django.core.cache import caches

CACHE_ALIAS = "ratelimit"


def hit(scope: str, ident: str, limit: int, window: int) -> int | None:
    """Count one request of ``ident`` under ``scope``: None while at most ``limit`` requests
    fell in the current window of ``window`` seconds, else the seconds until it ends."""
    cache = caches[CACHE_ALIAS]
    now = int(time.time())
    start = now - now % window
    key = f"rl:{scope}:{ident}:{start}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 5)
        count = 1
    if count <= limit:
        return None
    return max(start + window - now, 1)


def reset(scope: str, ident: str, window: int) -> None:
    now = int(time.time())
    caches[CACHE_ALIAS].delete(f"rl:{scope}:{ident}:{now - now % window}")

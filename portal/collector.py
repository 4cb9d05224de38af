"""The cyclic garbage collector in a web worker: short pauses for pages, fewer collections for
batches (ADR 0124).

A page request leaves a little cyclic garbage behind (Django's request, its lazy user and its
message storage refer to each other: about 80 objects a request). Whatever the collector's first
threshold, that garbage is freed by the collector, so the threshold decides only how it is
spread: at 50,000 a gunicorn worker freed some 650 requests' worth at once, 15 to 80 ms in which
the requests queued behind it waited, and that was the bare view's and the pages' p99 under
load. At Python's 700 the same work comes in pauses of well under a millisecond.

Two kinds of work want the opposite, and raise the threshold for their own duration only
(:func:`fewer_collections`): typesetting a PDF (WeasyPrint allocates millions of short-lived
objects, ADR 0014) and a licence-event batch (about 100,000 objects for 5,000 events, which at
700 were promoted and set off full collections, ADR 0071).

The other pause is the full collection, which walks every object not frozen. A worker freezes
the loaded application (``gunicorn.conf.py``), and again, after a collection, once its first
requests have filled the caches that live as long as the process (compiled templates, URL
resolvers, translation catalogues, compiled SQL): :func:`settle` at the request counts of
:data:`SETTLE_AFTER`. Full collections then walk only what was made since.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: A worker's thresholds between batches: Python's own (gunicorn.conf.py, GUNICORN_GC_THRESHOLD).
WORKER_THRESHOLD = 700
#: The thresholds while a PDF is typeset or a batch is ingested.
BATCH_THRESHOLD = (50_000, 20, 20)
#: The request counts after which a worker collects and freezes what survived (:func:`settle`).
SETTLE_AFTER = (200, 2_000, 20_000)

_lock = threading.Lock()
_running = 0
_saved: tuple[int, ...] = ()
_settled = 0  # how many of SETTLE_AFTER this process has passed


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the block with :data:`BATCH_THRESHOLD` (garbage is still collected, less often).
    Thresholds are process-wide: overlapping blocks in threads share one raise, and the last one
    out restores what was set before and frees the block's young garbage at once (a few ms),
    rather than leaving it to be promoted and kept until a full collection."""
    global _running, _saved
    with _lock:
        if _running == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(*BATCH_THRESHOLD)
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            last = _running == 0
            if last:
                gc.set_threshold(*_saved)
        if last:
            gc.collect(1)


def settle(served: int) -> bool:
    """After a worker's ``served``-th request: the first time it reaches each count of
    :data:`SETTLE_AFTER`, collect everything and freeze what survived (the process's caches).
    True when it did."""
    global _settled
    if _settled >= len(SETTLE_AFTER) or served < SETTLE_AFTER[_settled]:
        return False  # every request but three: no lock taken
    with _lock:
        reached = sum(1 for count in SETTLE_AFTER if served >= count)
        if reached <= _settled:
            return False  # another thread settled at this count
        _settled = reached
    gc.collect()
    gc.freeze()
    return True

"""Probes: one function per (record, channel) cell row of the matrix.

A probe tries, as one actor, to see or change one kind of record over one channel and says
whether it got through. It must tell the two outcomes apart by what a user would notice:

- allowed: the page, JSON, file or admin form answered (2xx, or the redirect that follows a
  successful form) and, for a change, the change is in the database;
- refused: 403, 404, 401/429 for the API, or the admin's login redirect, and, for a change,
  **nothing changed** (the probe asserts this itself and raises if a refused write left a trace).

Register with ``@probe("case", "admin_change")``; the probe gets ``(world, actor)`` and returns
``True`` (allowed) or ``False`` (refused). Probes of each domain live in ``probes_<domain>.py``.
"""

from __future__ import annotations

from collections.abc import Callable

from .world import World

ProbeFn = Callable[[World, str], bool]
PROBES: dict[tuple[str, str], ProbeFn] = {}

REFUSED = {401, 403, 404, 405, 429}


def probe(record: str, channel: str) -> Callable[[ProbeFn], ProbeFn]:
    def register(fn: ProbeFn) -> ProbeFn:
        key = (record, channel)
        if key in PROBES:
            raise RuntimeError(f"two probes for {key}")
        PROBES[key] = fn
        return fn

    return register


def answered(response, *, allowed: tuple[int, ...] = (200,)) -> bool:
    """True for an allowed status, False for a refusal; anything else (a 500, a 400 from a
    probe's own bad request) fails the cell loudly."""
    status = response.status_code
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # read to the end: the client then closes the file
    if status in allowed:
        return True
    if status in REFUSED:
        return False
    if status == 302 and "/login/" in response.get("Location", ""):
        return False
    raise AssertionError(f"unexpected {status} from {response.request.get('PATH_INFO')}")


def admin_list(world: World, actor: str, url: str, must_contain: str | None = None) -> bool:
    """An admin changelist: allowed when it answers 200 and lists ``must_contain``."""
    response = world.client(actor).get(url)
    if not answered(response):
        return False
    if must_contain is None:
        return True
    return must_contain in response.content.decode()

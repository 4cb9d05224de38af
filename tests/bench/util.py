"""Helpers for bench modules: time a view or a callable, a throttle-free client, the baseline.

from tests.bench.util import bare_view_timing, client, time_view

def run(report):
    c = client()
    t = time_view(c, "/items/", n=50)
    report.line("catalogue page (demo size) median", t.median_ms, "ms")
    report.line("catalogue page (demo size) p95", t.p95_ms, "ms")
    report.line("catalogue page (demo size) queries", t.queries, "per request")
    report.line("catalogue page / bare view", t.ratio(bare_view_timing(c)), "x")
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def short() -> bool:
    """The short form (`python -m tests.bench --short`, CI): the demo's size, one round, so a
    broken benchmark fails fast; its figures are not figures."""
    return bool(os.environ.get("BENCH_SHORT"))


def scale(full: int, short_form: int) -> int:
    """A size: ``full`` in a real run, ``short_form`` in the short form."""
    return short_form if short() else full


@dataclass(frozen=True)
class Timing:
    """Server-side times (the Django test client: no network) in milliseconds."""

    samples_ms: list[float] = field(repr=False)
    queries: int = 0  # database queries per call (the most any timed call made)
    queries_mean: float = 0.0
    # this process's CPU time per call: on SQLite (in process) the whole request's work, which
    # other processes on a busy machine do not inflate as they inflate the wall clock
    cpu_ms: list[float] = field(default_factory=list, repr=False)

    @property
    def cpu_median_ms(self) -> float:
        return statistics.median(self.cpu_ms) if self.cpu_ms else 0.0

    @property
    def n(self) -> int:
        return len(self.samples_ms)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.samples_ms)
        # nearest-rank percentile: the smallest sample with at least 95 % at or below it
        rank = max(1, -(-95 * len(ordered) // 100))
        return ordered[rank - 1]

    @property
    def mean_ms(self) -> float:
        return statistics.fmean(self.samples_ms)

    def ratio(self, baseline: Timing) -> float:
        """How many times the baseline's median this timing's median is."""
        return self.median_ms / baseline.median_ms if baseline.median_ms else float("inf")


class BenchError(AssertionError):
    """A timed request answered with an unexpected status."""


def client(**defaults) -> Client:
    """A test client. The bench settings disable throttling, so it can hammer the API."""
    return Client(**defaults)


def time_callable(fn: Callable[[], object], n: int = 50, warmup: int = 3) -> Timing:
    """Call ``fn`` ``warmup`` times untimed, then ``n`` times timed, counting queries (once
    each in the short form)."""
    if short():
        n, warmup = 1, min(warmup, 1)
    for _ in range(warmup):
        fn()
    samples: list[float] = []
    cpu: list[float] = []
    counts: list[int] = []
    for _ in range(n):
        with CaptureQueriesContext(connection) as ctx:
            started, cpu_started = time.perf_counter(), time.process_time()
            fn()
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        counts.append(len(ctx.captured_queries))
    return Timing(
        samples_ms=samples,
        queries=max(counts, default=0),
        queries_mean=statistics.fmean(counts) if counts else 0.0,
        cpu_ms=cpu,
    )


def in_process_database() -> bool:
    """SQLite: the database's work is this process's CPU time."""
    return connection.vendor == "sqlite"


def time_view(
    client: Client, url: str, n: int = 50, warmup: int = 3, expect: int = 200, **extra
) -> Timing:
    """GET ``url`` ``n`` times (after ``warmup`` untimed requests); fails on an unexpected status.

    ``extra`` is passed to ``client.get`` (e.g. ``HTTP_ACCEPT_LANGUAGE="en"``)."""

    def call() -> None:
        response = client.get(url, **extra)
        if response.status_code != expect:
            raise BenchError(f"GET {url} answered {response.status_code}, expected {expect}")

    return time_callable(call, n=n, warmup=warmup)


_baseline: Timing | None = None


def bare_view_timing(client: Client | None = None, n: int = 200) -> Timing:
    """The bare Django view (/bench/bare/, bench settings only), measured once per run."""
    global _baseline
    if _baseline is None:
        _baseline = time_view(client or Client(), "/bench/bare/", n=n, warmup=10)
    return _baseline

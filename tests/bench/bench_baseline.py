"""The baseline: a bare Django view through the whole middleware stack, so other figures can be
read as a ratio to it (`util.bare_view_timing`)."""

from tests.bench.util import bare_view_timing, client


def run(report) -> None:
    timing = bare_view_timing(client())
    report.line("bare Django view median", timing.median_ms, "ms")
    report.line("bare Django view p95", timing.p95_ms, "ms")
    report.line("bare Django view queries", timing.queries, "per request")

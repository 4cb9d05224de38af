"""Benchmarks: `make bench` (python -m tests.bench). See tests/bench/__main__.py."""

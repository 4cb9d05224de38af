"""A loader module for tests/core/test_registry.py: importing it is what the test watches."""


def load(stdout=None) -> str:
    return "loaded"

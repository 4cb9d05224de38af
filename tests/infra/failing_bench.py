"""A bench module that fails, for the runner's own test."""


def run(report) -> None:
    raise RuntimeError("broken on purpose")

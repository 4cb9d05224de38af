"""django-q2 entry points for accounts."""

from . import services


def purge_codes() -> int:
    return services.purge_codes()

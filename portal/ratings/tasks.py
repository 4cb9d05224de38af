"""django-q2 entry points for ratings."""

from . import services


def remind_overdue() -> int:
    return services.remind_overdue()

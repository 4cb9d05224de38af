"""django-q2 entry points for notifications."""

from __future__ import annotations

from . import services


class DeliveryFailed(Exception):
    """Raised so django-q2 does not acknowledge the task and runs it again after
    ``Q_CLUSTER["retry"]`` seconds, up to ``max_attempts`` times."""


def deliver(ids: list[int]) -> dict:
    result = services.deliver(ids)
    if result["retry"]:
        raise DeliveryFailed(f"{len(result['retry'])} message(s) failed: {result['retry']}")
    return result


def requeue_stale() -> int:
    return services.requeue_stale()

"""Reference data of cases, loaded by ``manage.py load_reference`` in every deployment (and by
the demo first): the city's online platform, the accepting point of online and proactive cases."""

from __future__ import annotations

from .models import AcceptancePoint


def load(stdout=None) -> AcceptancePoint:
    from .selectors import online_platform

    point = online_platform()
    if stdout is not None:
        stdout.write(f"  acceptance points: the online platform {point.code}")
    return point

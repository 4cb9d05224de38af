from functools import cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


@cache
def _resolved_nav() -> tuple[tuple[str, object], ...]:
    entries = []
    for name, label in settings.PORTAL_NAV:
        try:
            entries.append((reverse(name), label))
        except NoReverseMatch:
            continue
    return tuple(entries)


def navigation(request: HttpRequest) -> dict:
    path = request.path
    return {
        "portal_nav": [
            {"url": url, "label": label, "current": url != "/" and path.startswith(url)}
            for url, label in _resolved_nav()
        ]
    }

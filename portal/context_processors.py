from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from portal.registry import registry


def _resolved_nav() -> tuple[tuple[str, object], ...]:
    """The navigation the apps registered (URL, label); a URL name that does not resolve (an app
    not installed) is left out. Worked out once per registry version and URL map, not on every
    page."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _resolve(registry.version, urlconf, get_script_prefix())


@lru_cache(maxsize=16)
def _resolve(version: int, urlconf: str, prefix: str) -> tuple[tuple[str, object], ...]:
    entries = []
    for link in registry.nav_links():
        try:
            entries.append((reverse(link.url_name, urlconf=urlconf), link.label))
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

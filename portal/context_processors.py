from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from portal.registry import registry


def _resolved_nav() -> list[tuple[str, object]]:
    """The navigation the apps registered (URL, label); a URL name that does not resolve (an app
    not installed) is left out."""
    entries = []
    for link in registry.nav_links():
        try:
            entries.append((reverse(link.url_name), link.label))
        except NoReverseMatch:
            continue
    return entries


def navigation(request: HttpRequest) -> dict:
    path = request.path
    return {
        "portal_nav": [
            {"url": url, "label": label, "current": url != "/" and path.startswith(url)}
            for url, label in _resolved_nav()
        ]
    }

from functools import lru_cache
from typing import Any

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


def work_links(user: Any) -> list[tuple[str, object]]:
    """The work pages (URL, label) the apps registered for ``user``'s role, first the one to
    land on after sign-in; none for visitors and citizens."""
    links = []
    for page in registry.work_pages(user):
        try:
            links.append((reverse(page.url_name), page.label))
        except NoReverseMatch:
            continue
    return links


def navigation(request: HttpRequest) -> dict:
    path = request.path
    work = [
        {"url": url, "label": label, "current": path.startswith(url)}
        for url, label in work_links(getattr(request, "user", None))
    ]
    # on a work page (/cases/staff/) its link is the current one, not the section's (/cases/)
    on_work_page = any(entry["current"] for entry in work)
    return {
        "portal_nav": [
            {
                "url": url,
                "label": label,
                "current": not on_work_page and url != "/" and path.startswith(url),
            }
            for url, label in _resolved_nav()
        ],
        "portal_work": work,
    }

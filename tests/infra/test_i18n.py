"""Chinese first, English one click away on every page."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

SWITCHER = re.compile(r'<form[^>]*class="language-switch"[^>]*action="/i18n/setlang/"')
SKIP_PREFIXES = ("admin/", "api/", "i18n/", "healthz", "bench/")


def _html_lang(response) -> str:
    match = re.search(r'<html[^>]*\blang="([^"]+)"', response.content.decode())
    assert match, "the page has no <html lang>"
    return match.group(1)


def test_chinese_by_default_and_english_after_switching(client):
    response = client.get("/")
    assert response.status_code == 200
    assert _html_lang(response) == "zh-CN"
    assert "青岛" in response.content.decode()

    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert switched.status_code == 302 and switched["Location"] == "/"
    response = client.get("/")
    assert _html_lang(response) == "en"
    assert "Qingdao Government Services" in response.content.decode()

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert _html_lang(client.get("/")) == "zh-CN"


def test_browser_language_english_is_honoured(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert _html_lang(response) == "en"


def _static_page_urls() -> list[str]:
    """Every URL pattern without parameters (pages that need an object are covered by their
    apps' own tests), outside the admin and the API."""
    urls: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            route = str(entry.pattern)
            if isinstance(entry, URLResolver):
                if "<" in route or route.startswith("^"):
                    continue
                walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern):
                if "<" in route or route.startswith("^") or route.endswith("$"):
                    continue
                urls.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return sorted({u for u in urls if not u.lstrip("/").startswith(SKIP_PREFIXES)})


def test_the_language_switcher_is_on_every_page(client):
    client.raise_request_exception = False
    checked, missing, broken = [], [], []
    for url in _static_page_urls():
        response = client.get(url)
        if response.status_code >= 500:
            broken.append(url)
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue  # redirects to sign-in, downloads, JSON
        checked.append(url)
        if not SWITCHER.search(response.content.decode()):
            missing.append(url)
    assert "/" in checked
    assert not missing, f"pages without the header language switcher: {missing}"
    assert not broken, f"pages answering 5xx to an anonymous GET: {broken}"


def test_the_switcher_keeps_the_current_page(client):
    response = client.get("/")
    assert '<input name="next" type="hidden" value="/">' in response.content.decode()
    assert 'id="language-select"' in response.content.decode()

"""The portal works offline: no page loads anything from another host (no CDN), and the API
docs take Swagger UI and Redoc from the portal's own static files (drf-spectacular-sidecar)."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

from .conftest import ROOT
from .test_i18n import _static_page_urls

pytestmark = pytest.mark.django_db

# attributes that make the browser fetch something: src, href of <link>, srcset, CSS url()
FETCHES = re.compile(
    r"""(?:<script[^>]*\ssrc|<link[^>]*\shref|<img[^>]*\ssrc|<iframe[^>]*\ssrc|srcset|"""
    r"""<source[^>]*\ssrc|<video[^>]*\ssrc|<audio[^>]*\ssrc|<form[^>]*\saction)\s*=\s*["']([^"']+)["']"""
    r"""|url\(\s*["']?([^"')]+)""",
    re.I,
)
EXTERNAL = re.compile(r"^(?:https?:)?//", re.I)


def external_fetches(html: str) -> list[str]:
    found = []
    for match in FETCHES.finditer(html):
        url = match.group(1) or match.group(2)
        if url and EXTERNAL.match(url.strip()):
            found.append(url)
    return found


def _static_paths(html: str) -> list[str]:
    return [
        (m.group(1) or m.group(2)).split("?")[0].removeprefix("/static/")
        for m in FETCHES.finditer(html)
        if (m.group(1) or m.group(2) or "").startswith("/static/")
    ]


@pytest.mark.parametrize("url", ["/api/docs/"])
def test_api_docs_load_their_assets_from_the_portal(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert not external_fetches(html), external_fetches(html)
    assets = _static_paths(html)
    assert any("drf_spectacular_sidecar" in path for path in assets), assets
    missing = [path for path in assets if not finders.find(path)]
    assert not missing, f"static files the page asks for but the portal lacks: {missing}"


def test_no_page_fetches_from_another_host(client):
    client.raise_request_exception = False
    offenders = {}
    for url in ["/", *_static_page_urls()]:
        response = client.get(url)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            found = external_fetches(response.content.decode())
            if found:
                offenders[url] = found
    assert not offenders, f"pages that fetch from another host: {offenders}"


def test_no_template_or_stylesheet_points_at_a_cdn():
    offenders = []
    for path in [*ROOT.glob("**/templates/**/*.html"), *(ROOT / "static").rglob("*.css")]:
        if ".venv" in path.parts or "staticfiles" in path.parts:
            continue
        for url in external_fetches(path.read_text(encoding="utf-8", errors="replace")):
            offenders.append(f"{path.relative_to(ROOT)}: {url}")
    assert not offenders, "\n".join(offenders)


def test_the_detector_sees_a_cdn_link():
    html = (
        '<link rel="stylesheet" href="https://cdn.example/x.css">'
        '<script src="//cdn.example/x.js"></script><a href="https://gov.cn">ok</a>'
        '<style>body{background:url("https://cdn.example/bg.png")}</style>'
        '<img src="/static/logo.png">'
    )
    assert external_fetches(html) == [
        "https://cdn.example/x.css",
        "//cdn.example/x.js",
        "https://cdn.example/bg.png",
    ]

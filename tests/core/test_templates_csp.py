"""No page template holds what the strict Content-Security-Policy refuses (issue 11): a style
attribute, a <style> element, an inline script or an event-handler attribute. The browser tests
catch such a refusal only on the pages and data they happen to render; this reads every template
the portal serves to a browser (the PDF templates are rendered by WeasyPrint, not a browser)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REFUSED = {
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "<style> element": re.compile(r"<style[\s>]", re.I),
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "event handler": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
}
COMMENT = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}|<!--.*?-->", re.S)


def page_templates() -> list[Path]:
    found = []
    for path in ROOT.rglob("templates/**/*.html"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {".venv", "staticfiles", "node_modules"} or "pdf" in parts:
            continue
        found.append(path)
    return sorted(found)


def test_the_templates_are_found():
    names = {p.relative_to(ROOT).as_posix() for p in page_templates()}
    assert "templates/base.html" in names
    assert "legal_aid/templates/legal_aid/statistics.html" in names
    assert len(names) > 50


@pytest.mark.parametrize("path", page_templates(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_template_holds_what_the_csp_refuses(path):
    text = COMMENT.sub("", path.read_text(encoding="utf-8"))
    found = [f"{what}: {m.group(0)!r}" for what, rx in REFUSED.items() for m in rx.finditer(text)]
    assert not found, found

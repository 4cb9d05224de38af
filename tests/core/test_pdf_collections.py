"""While WeasyPrint typesets, the cyclic garbage collector runs less often; afterwards the
process's thresholds are back, even when rendering fails or renders overlap."""

import gc

import pytest
from weasyprint import HTML

from portal.collector import BATCH_THRESHOLD as RENDER_GC_THRESHOLD
from portal.collector import fewer_collections
from portal.pdf import render_pdf


@pytest.fixture
def pdf_template(settings, tmp_path):
    (tmp_path / "pdf_test").mkdir()
    (tmp_path / "pdf_test" / "short.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}<p>{{ text }}</p>{% endblock %}',
        encoding="utf-8",
    )
    engines = [dict(engine) for engine in settings.TEMPLATES]
    engines[0]["DIRS"] = [*engines[0]["DIRS"], tmp_path]
    settings.TEMPLATES = engines
    return "pdf_test/short.html"


def test_rendering_raises_the_threshold_and_restores_it(pdf_template, monkeypatch):
    before = gc.get_threshold()
    seen = []
    write_pdf = HTML.write_pdf

    def recording(self, *args, **kwargs):
        seen.append(gc.get_threshold())
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", recording)
    assert render_pdf(pdf_template, {"text": "受理"}).startswith(b"%PDF")
    assert seen == [RENDER_GC_THRESHOLD]
    assert gc.get_threshold() == before


def test_a_failed_render_restores_the_threshold(pdf_template, monkeypatch):
    before = gc.get_threshold()

    def failing(self, *args, **kwargs):
        raise RuntimeError("font missing")

    monkeypatch.setattr(HTML, "write_pdf", failing)
    with pytest.raises(RuntimeError):
        render_pdf(pdf_template, {"text": "受理"})
    assert gc.get_threshold() == before


def test_overlapping_renders_restore_the_threshold_once_the_last_ends():
    before = gc.get_threshold()
    first, second = fewer_collections(), fewer_collections()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_threshold() == RENDER_GC_THRESHOLD  # the second render is still running
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before

"""Renders in one thread share one WeasyPrint font configuration (a new one per render leaked
its Pango font map: a worker grew 0.2 MB a certificate), another thread gets its own, and the
render's young cyclic garbage is collected when it ends."""

import gc
import threading

from weasyprint import HTML

from portal import pdf


def test_one_font_configuration_per_thread(monkeypatch):
    seen = []
    write_pdf = HTML.write_pdf

    def recording(self, *args, **kwargs):
        seen.append(kwargs.get("font_config"))
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", recording)
    pdf.render_pdf("pdf/base.html")
    pdf.render_pdf("pdf/base.html")
    other = threading.Thread(target=pdf.render_pdf, args=("pdf/base.html",))
    other.start()
    other.join()
    assert seen[0] is not None and seen[0] is seen[1]
    assert seen[2] is not None and seen[2] is not seen[0]


def test_the_render_ends_with_a_young_collection(monkeypatch):
    collected = []
    monkeypatch.setattr(gc, "collect", lambda generation=2: collected.append(generation) or 0)
    with pdf.fewer_collections(), pdf.fewer_collections():
        pass
    assert collected == [1]  # once, when the last overlapping render ends

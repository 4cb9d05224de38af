import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from portal.pdf import pdf_response, render_pdf

TEMPLATE = """{% extends "pdf/base.html" %}
{% block title %}办件受理通知书{% endblock %}
{% block content %}<h1>受理通知书</h1><p>申请人：{{ name }}，您申请的事项已受理。</p>{% endblock %}
"""


@pytest.fixture
def pdf_template(settings, tmp_path):
    (tmp_path / "pdf_test").mkdir()
    (tmp_path / "pdf_test" / "notice.html").write_text(TEMPLATE, encoding="utf-8")
    engines = [dict(engine) for engine in settings.TEMPLATES]
    engines[0]["DIRS"] = [*engines[0]["DIRS"], tmp_path]
    settings.TEMPLATES = engines
    return "pdf_test/notice.html"


def fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]))
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add("embedded:" + str(descendant.get_object()["/BaseFont"]))
    return names


def test_renders_chinese_with_an_embedded_cjk_font(pdf_template):
    pdf = render_pdf(pdf_template, {"name": "张三"})
    assert pdf.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "受理通知书" in text
    assert "张三" in text
    embedded = [name for name in fonts(pdf) if name.startswith("embedded:")]
    assert any("CJK" in name for name in embedded), fonts(pdf)


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils not installed")
def test_pdffonts_lists_the_cjk_font_as_embedded(pdf_template, tmp_path):
    path = tmp_path / "out.pdf"
    path.write_bytes(render_pdf(pdf_template, {"name": "李四"}))
    output = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    cjk = [line for line in output.splitlines() if "CJK" in line]
    assert cjk
    assert all(" yes " in line for line in cjk)  # emb column


def test_pdf_response_is_a_download(pdf_template, rf):
    response = pdf_response(pdf_template, {"name": "王五"}, "notice.pdf", request=rf.get("/"))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="notice.pdf"'
    assert response.content.startswith(b"%PDF")


def test_chinese_file_name_is_encoded_for_browsers(pdf_template):
    response = pdf_response(pdf_template, {"name": "赵六"}, "受理通知书.pdf", inline=True)
    assert response["Content-Disposition"] == (
        "inline; filename*=utf-8''%E5%8F%97%E7%90%86%E9%80%9A%E7%9F%A5%E4%B9%A6.pdf"
    )

"""List exports parse back: CSV and XLSX rows are the list's items; the PDF embeds a CJK font."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def test_csv_has_every_item_of_the_list(client, demo_db):
    response = client.get("/lists/village/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "事项编码"
    assert len(rows) == 1 + 23
    assert all(row[0] and row[1] for row in rows[1:])


def test_csv_follows_the_filters(client, demo_db):
    response = client.get("/lists/city_wide/export.csv", {"domain": "tax"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert 1 < len(rows) < 700
    assert {row[3] for row in rows[1:]} == {"税务"}


def test_xlsx_parses_back(client, demo_db):
    response = client.get("/lists/city_wide/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 699
    codes = [row[0] for row in rows[1:]]
    assert len(set(codes)) == 699


def test_english_export_has_english_headings(english, demo_db):
    response = english.get("/lists/town/export.csv")
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header[:2] == ["Item code", "Name"]


def test_pdf_embeds_a_cjk_font(client, demo_db, tmp_path):
    response = client.get("/lists/village/export.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    assert any("CJK" in name for name in fonts), fonts
    assert "村（社区）" in reader.pages[0].extract_text()
    if shutil.which("pdffonts"):
        path = tmp_path / "list.pdf"
        path.write_bytes(response.content)
        assert (
            "CJK"
            in subprocess.run(
                ["pdffonts", str(path)], capture_output=True, text=True, check=True
            ).stdout
        )


def test_pdf_is_cached_until_the_list_changes(client, demo_db, django_assert_max_num_queries):
    from portal.catalogue.models import ListEntry

    first = client.get("/lists/village/export.pdf").content
    with django_assert_max_num_queries(3):  # no item query: the bytes come from the cache
        again = client.get("/lists/village/export.pdf").content
    assert again == first
    entry = ListEntry.objects.filter(handling_list__kind="village", removed_on=None).first()
    entry.item.name = "改名后的村级事项"
    entry.item.save()
    changed = client.get("/lists/village/export.pdf").content
    pages = PdfReader(io.BytesIO(changed)).pages
    assert any("改名后的村级事项" in page.extract_text() for page in pages)


def test_city_wide_pdf_has_every_item_under_a_header_on_each_numbered_page(client, demo_db):
    from portal.catalogue.models import ListEntry

    codes = set(
        ListEntry.objects.filter(handling_list__kind="city_wide", removed_on=None).values_list(
            "item__code", flat=True
        )
    )
    response = client.get("/lists/city_wide/export.pdf")
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    text = "\n".join(pages)
    assert len(codes) == 699
    assert {code for code in codes if code in text} == codes
    assert len(pages) > 20
    for number, page in enumerate(pages, start=1):
        assert "事项编码" in page and "纳入日期" in page  # the table header repeats
        assert re.search(rf"(?<!\d){number} / {len(pages)}(?!\d)", page)

"""Spreadsheet imports are read row by row and refused at the first row or byte over a limit,
before a hostile file can cost minutes or gigabytes (issue 11: a 287 KB XLSX of 2,000,000 rows
took 54 s and 800 MB before the 5,000-row limit was checked). Cells and file names that
PostgreSQL cannot store (NUL, lone surrogates) are refused with the row and column named."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from portal.tables import MAX_ROWS, UnreadableTable, read_table

SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"


def _workbook_parts() -> dict[str, bytes]:
    """The parts of a one-cell workbook written by openpyxl, to swap a hostile sheet into."""
    workbook = Workbook()
    workbook.active.append(["code"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xlsx_with_sheet(chunks, *, level: int = 6, extra: dict[str, bytes] | None = None) -> bytes:
    """An XLSX whose first sheet's XML is ``chunks`` (bytes pieces), streamed into the zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in _workbook_parts().items():
            if name != SHEET:
                archive.writestr(name, data)
        with archive.open(SHEET, "w", force_zip64=True) as sheet:
            sheet.write(SHEET_HEAD)
            for chunk in chunks:
                sheet.write(chunk)
            sheet.write(SHEET_TAIL)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def numbered_rows(count: int, start: int = 1):
    for first in range(start, start + count, 10_000):
        yield b"".join(
            b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n)
            for n in range(first, min(first + 10_000, start + count))
        )


def inline_row(number: int, *cells: str) -> bytes:
    inner = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{text}</t></is></c>'
        for i, text in enumerate(cells)
    )
    return f'<row r="{number}">{inner}</row>'.encode()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def refused(data, name="", trace=True, **limits) -> tuple[UnreadableTable, float, int]:
    """The refusal, the seconds it took and the peak bytes allocated while reading it again
    (tracing allocations slows the parsing down several times over)."""
    started = time.monotonic()
    with pytest.raises(UnreadableTable) as caught:
        read_table(data, name, **limits)
    seconds = time.monotonic() - started
    if not trace:
        return caught.value, seconds, 0
    tracemalloc.start()
    try:
        with pytest.raises(UnreadableTable):
            read_table(data, name, **limits)
        return caught.value, seconds, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --- XLSX ------------------------------------------------------------------------------------


def test_two_million_rows_are_refused_in_a_moment_from_the_zip_directory():
    row = b"<row><c><v>1</v></c></row>"
    data = xlsx_with_sheet((row * 10_000 for _ in range(200)), level=9)
    assert len(data) < 400_000  # as small as the file in the finding

    error, seconds, peak = refused(data, "items.xlsx")

    assert error.reason == "too_large"
    assert seconds < 2
    assert peak < 20 * 1024 * 1024


def test_rows_past_the_limit_stop_the_reading_at_the_first_one():
    # 12 MB unpacked, packed 10:1 like a real sheet: passes the size checks. Reading all of it
    # would take some 30 s.
    data = xlsx_with_sheet(numbered_rows(300_000))

    error, seconds, _peak = refused(data, "items.xlsx", trace=False, max_rows=5000)

    assert error.reason == "too_many_rows"
    assert "5000" in str(error)
    assert seconds < 5  # about 5,000 rows parsed (under a second), not 300,000


def test_the_default_limit_is_the_largest_import_and_rows_up_to_it_are_read():
    rows = read_table(xlsx_with_sheet(numbered_rows(MAX_ROWS)), "items.xlsx")
    assert len(rows) == MAX_ROWS
    assert rows[-1] == [MAX_ROWS]
    with pytest.raises(UnreadableTable) as caught:
        read_table(xlsx_with_sheet(numbered_rows(MAX_ROWS + 1)), "items.xlsx")
    assert caught.value.reason == "too_many_rows"


def test_a_sheet_that_claims_its_last_row_is_not_padded_out_to_it():
    data = xlsx_with_sheet(
        [
            inline_row(1, "code"),
            b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>',
        ]
    )
    error, seconds, _peak = refused(data, "items.xlsx")
    assert error.reason == "too_many_rows"
    assert seconds < 2


def test_blank_lines_among_rows_keep_the_line_numbers_and_trailing_ones_are_dropped():
    data = xlsx_with_sheet([inline_row(1, "code"), inline_row(3, "A1", "x"), b'<row r="9"/>'])
    assert read_table(data, "items.xlsx") == [["code", None], [None, None], ["A1", "x"]]


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    zeros = b"\0" * (1024 * 1024)
    bomb = xlsx_with_sheet([inline_row(1, "code")], extra={"xl/media/x.bin": zeros * 30})

    error, seconds, peak = refused(bomb, "items.xlsx")

    assert error.reason == "too_large"
    assert "zip bomb" in str(error)
    assert seconds < 1
    assert peak < 10 * 1024 * 1024


def test_a_file_too_large_unpacked_is_refused_with_its_size():
    data = xlsx_with_sheet([inline_row(1, "code")], extra={"xl/media/x.bin": b"x" * 2048})
    error, _seconds, _peak = refused(data, "items.xlsx", max_bytes=1024)
    assert error.reason == "too_large"
    assert "1.0\xa0KB" in str(error)


def test_a_column_far_to_the_right_is_refused():
    data = xlsx_with_sheet([b'<row r="1"><c r="XFD1"><v>1</v></c></row>'])
    error, _seconds, _peak = refused(data, "items.xlsx")
    assert error.reason == "too_many_columns"


def test_entity_declarations_are_refused():
    doctype = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
    parts = _workbook_parts()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, doctype + data.split(b"?>", 1)[-1] if name == SHEET else data)
    error, _seconds, _peak = refused(buffer.getvalue(), "items.xlsx")
    assert error.reason == "xlsx"


def test_not_a_zip_is_an_unreadable_xlsx():
    error, _seconds, _peak = refused(b"PK\x03\x04 not really", "items.xlsx")
    assert error.reason == "xlsx"
    assert str(error) == "Not a readable XLSX file."


@pytest.mark.parametrize("reference", ["&#0;", "&#xD800;"], ids=["nul", "lone-surrogate"])
def test_a_cell_postgresql_cannot_store_is_refused(reference):
    # XML cannot carry these characters at all: the sheet is not well-formed
    data = xlsx_with_sheet([inline_row(1, "code", "name"), inline_row(2, "A1", f"a{reference}b")])
    error, _seconds, _peak = refused(data, "items.xlsx")
    assert error.reason == "xlsx"


# --- CSV -------------------------------------------------------------------------------------


def test_csv_reads_utf8_with_bom_and_gb18030():
    assert read_table("\ufeffcode,名称\r\nA1,登记\r\n".encode()) == [
        ["code", "名称"],
        ["A1", "登记"],
    ]
    assert read_table("code,名称\nA1,登记\n".encode("gb18030")) == [
        ["code", "名称"],
        ["A1", "登记"],
    ]


def test_csv_keeps_line_breaks_inside_quoted_cells():
    assert read_table(b'code,note\nA1,"two\nlines"\n') == [["code", "note"], ["A1", "two\nlines"]]


def test_csv_with_a_nul_is_refused_naming_the_row_and_column():
    error, _seconds, _peak = refused(b"code,name\nA1,ok\nA2,bad\x00name\n", "items.csv")
    assert error.reason == "character"
    assert (error.row, error.column) == (3, "B")
    assert "Row 3, column B" in str(error)


def test_csv_rows_past_the_limit_stop_the_reading():
    data = b"".join(b"A%d\n" % n for n in range(1_000_000))
    error, seconds, _peak = refused(data, "items.csv", max_rows=5000)
    assert error.reason == "too_many_rows"
    assert seconds < 2


def test_csv_over_the_byte_limit_is_refused_before_it_is_read():
    error, _seconds, _peak = refused(b"A1\n" * 1000, "items.csv", max_bytes=1000)
    assert error.reason == "too_large"


def test_csv_in_neither_encoding_is_refused():
    error, _seconds, _peak = refused(b"\xff\xfe\xfa\x80\x81", "items.csv")
    assert error.reason == "encoding"


def test_a_file_read_from_a_binary_file_is_the_same_and_the_file_stays_open():
    upload = io.BytesIO(b"code\nA1\n")
    assert read_table(upload, "items.csv") == [["code"], ["A1"]]
    assert not upload.closed


# --- file names ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["items\x00.csv", "items\ud800.xlsx"], ids=["nul", "surrogate"])
def test_a_file_name_postgresql_cannot_store_is_refused(name):
    error, _seconds, _peak = refused(b"code\nA1\n", name)
    assert error.reason == "name"
    assert "file name" in str(error)

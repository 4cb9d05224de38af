"""Spreadsheet files in and out: the one place that knows how to read a CSV/XLSX upload and how to
answer with a CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese) or an XLSX file.

Used by the catalogue's item import and list exports, the outlets' item-list import and the
legal-aid statistics export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")


class UnreadableTable(ValueError):
    """The file is not a readable table; ``reason`` is ``"xlsx"`` or ``"encoding"``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def is_xlsx(data: bytes, name: str = "") -> bool:
    return name.lower().endswith(".xlsx") or data[:2] == b"PK"


def read_table(data: bytes, name: str = "") -> list[list[Any]]:
    """The rows of a CSV (UTF-8 with or without BOM, or GB18030) or XLSX file (first sheet), as
    lists of cell values. Raises :class:`UnreadableTable`."""
    if is_xlsx(data, name):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
            return [list(row) for row in sheet.iter_rows(values_only=True)]
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
            raise UnreadableTable("xlsx") from exc
    for encoding in TEXT_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return list(csv.reader(io.StringIO(text)))
    raise UnreadableTable("encoding")


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    # The same header as portal.pdf's downloads: a Chinese file name travels RFC 6266-encoded.
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def csv_response(rows: Iterable[Sequence[Any]], filename: str) -> HttpResponse:
    """``rows`` (the header first) as a CSV download."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")
    writer = csv.writer(response)
    for row in rows:
        writer.writerow(["" if v is None else str(v) for v in row])
    return _attachment(response, filename)


def xlsx_bytes(rows: Iterable[Sequence[Any]], sheet_title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    for row in rows:
        sheet.append([float(v) if hasattr(v, "as_tuple") else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(rows: Iterable[Sequence[Any]], filename: str, sheet_title: str) -> HttpResponse:
    """``rows`` (the header first) as an XLSX download; decimals become numbers."""
    return _attachment(
        HttpResponse(xlsx_bytes(rows, sheet_title), content_type=XLSX_TYPE), filename
    )

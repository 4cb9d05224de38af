"""Spreadsheet files in and out: the one place that knows how to read a CSV/XLSX upload and how to
answer with a CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese) or an XLSX file.

Used by the catalogue's item import and list exports, the outlets' item-list import and the
legal-aid statistics export."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO, Any

from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")

# The largest import is the catalogue's: 20,000 items and the heading. A caller with a smaller
# limit passes ``max_rows``; its own count then names its limit.
MAX_ROWS = 20_001
# Blank lines are allowed among the rows, but reading stops at this many lines in all, so a sheet
# that claims a row 1,048,576 is not walked to the end.
MAX_LINES_PER_ROW = 2
MAX_COLUMNS = 200
# A CSV, or an XLSX unpacked: the sizes come from the zip directory, before anything is parsed,
# and zipfile refuses a member that unpacks to more than its directory entry says.
MAX_TABLE_BYTES = 40 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 1000
# Sheets compress well, but not a thousandfold: a larger member packed tighter than this is a
# zip bomb.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_ABOVE = 1024 * 1024

# What PostgreSQL cannot store in a text column: NUL, and (not encodable in UTF-8) lone
# surrogates, which an XLSX can spell as ``_xD800_``.
UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


class UnreadableTable(ValueError):
    """The file is refused as a whole. ``reason`` is ``"xlsx"`` (not a readable workbook),
    ``"encoding"`` (neither UTF-8 nor GB18030), ``"csv"`` (malformed CSV), ``"too_large"``
    (bytes, or unpacked bytes of an XLSX, over the limit; a zip bomb), ``"too_many_rows"``,
    ``"too_many_columns"``, ``"character"`` (a cell holds NUL or a lone surrogate; ``row`` and
    ``column`` say where) or ``"name"`` (the file name holds one). ``str(exc)`` is the message
    for the person who uploaded the file."""

    def __init__(
        self, reason: str, message: str = "", *, row: int | None = None, column: str = ""
    ) -> None:
        super().__init__(message or _default_message(reason))
        self.reason = reason
        self.message = str(self)
        self.row = row
        self.column = column


def _default_message(reason: str) -> str:
    if reason == "encoding":
        return _("The file is neither UTF-8 nor GB18030 text.")
    if reason == "csv":
        return _("Not a readable CSV file.")
    return _("Not a readable XLSX file.")


def _too_large(size: int, limit: int, *, unpacked: bool = False) -> UnreadableTable:
    message = (
        _("The spreadsheet is %(size)s when unpacked; the limit is %(limit)s.")
        if unpacked
        else _("The file is %(size)s; the limit is %(limit)s.")
    )
    return UnreadableTable(
        "too_large", message % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
    )


def _too_many_rows(max_rows: int) -> UnreadableTable:
    return UnreadableTable(
        "too_many_rows",
        _("The file has more than %(max)d rows. Split it into smaller files.") % {"max": max_rows},
    )


def column_letter(index: int) -> str:
    """The spreadsheet name of the 1-based column ``index``: 1 is A, 27 is AA."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _check_name(name: str) -> None:
    if UNSTORABLE.search(name or ""):
        raise UnreadableTable(
            "name",
            _(
                "The file name contains a character that cannot be stored (NUL or an unpaired "
                "surrogate). Rename the file and upload it again."
            ),
        )


def _check_row(values: Sequence[Any], number: int) -> None:
    for position, value in enumerate(values, start=1):
        if isinstance(value, str) and UNSTORABLE.search(value):
            raise UnreadableTable(
                "character",
                _(
                    "Row %(row)d, column %(column)s contains a character that cannot be stored "
                    "(NUL or an unpaired surrogate). Remove it and upload the file again."
                )
                % {"row": number, "column": column_letter(position)},
                row=number,
                column=column_letter(position),
            )


def _collect(rows: Iterable[Sequence[Any]], max_rows: int, *, pad: bool = False) -> list[list[Any]]:
    """At most ``max_rows`` lines with values; blank lines among them are kept (callers number
    lines from the list), blank lines at the end are dropped. Stops reading as soon as a row
    past the limit has a value, or the lines run past ``MAX_LINES_PER_ROW`` times the limit.

    ``pad``: every row as wide as the widest, as a sheet's rows are (the cells after a row's last
    value are None) - a sheet's rows are read without the dimension the file claims."""
    table: list[list[Any]] = []
    blank = 0
    width = 0
    max_lines = max_rows * MAX_LINES_PER_ROW
    for number, row in enumerate(rows, start=1):
        used = len(row)
        while used and (row[used - 1] is None or row[used - 1] == ""):
            used -= 1
        if not used:
            if number >= max_lines:
                raise _too_many_rows(max_rows)
            blank += 1
            continue
        if number > max_rows:
            raise _too_many_rows(max_rows)
        if used > MAX_COLUMNS:
            raise UnreadableTable(
                "too_many_columns",
                _("Row %(row)d has more than %(max)d columns.")
                % {"row": number, "max": MAX_COLUMNS},
                row=number,
            )
        _check_row(row[:used], number)
        table.extend([] for _ in range(blank))
        blank = 0
        if pad:
            table.append(list(row[:used]))
            width = max(width, used)
        else:
            table.append(list(row))
    if pad:
        for values in table:
            values.extend([None] * (width - len(values)))
    return table


def _as_bytes_stream(data: bytes | IO[bytes]) -> IO[bytes]:
    if isinstance(data, bytes | bytearray | memoryview):
        return io.BytesIO(data)
    data.seek(0)
    return data


def _stream_size(stream: IO[bytes]) -> int:
    position = stream.tell()
    size = stream.seek(0, io.SEEK_END)
    stream.seek(position)
    return size


def is_xlsx(data: bytes | IO[bytes], name: str = "") -> bool:
    if name.lower().endswith(".xlsx"):
        return True
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data[:2]) == b"PK"
    position = data.tell()
    head = data.read(2)
    data.seek(position)
    return head == b"PK"


def _check_archive(stream: IO[bytes], max_bytes: int) -> None:
    """Refuse a zip bomb from the zip directory alone, before any member is unpacked."""
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise UnreadableTable("xlsx")
            total = 0
            for member in members:
                total += member.file_size
                if total > max_bytes:
                    raise _too_large(total, max_bytes, unpacked=True)
                if (
                    member.filename.endswith("sharedStrings.xml")
                    and member.file_size > MAX_SHARED_STRINGS_BYTES
                ):
                    raise _too_large(member.file_size, MAX_SHARED_STRINGS_BYTES, unpacked=True)
                if member.file_size > RATIO_CHECKED_ABOVE and (
                    member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
                ):
                    raise UnreadableTable(
                        "too_large",
                        _("The file is packed too tightly to be a spreadsheet (a zip bomb)."),
                    )
                if member.filename.endswith(".xml"):
                    # No document type, so no entity expansion (a "billion laughs" file).
                    with archive.open(member) as part:
                        head = part.read(2048).lower()
                    if b"<!doctype" in head or b"<!entity" in head:
                        raise UnreadableTable("xlsx")
    except UnreadableTable:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:
        # RuntimeError: an encrypted member; NotImplementedError (a RuntimeError): an unknown
        # compression method
        raise UnreadableTable("xlsx") from exc
    finally:
        stream.seek(0)


def _first_sheet(stream: IO[bytes]):
    """The first worksheet of the workbook, read-only, and the zip archive to close.

    Not ``load_workbook``: it opens every sheet of the workbook, and openpyxl reads a sheet
    without a ``<dimension>`` element to its end to learn its size (the 54 s of the 2,000,000-row
    file). These are the steps of ``ExcelReader.read`` that a read-only first sheet needs."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class FirstSheet(ReadOnlyWorksheet):
        def _get_size(self) -> None:
            self._min_row = self._min_column = 1
            self._max_row = self._max_column = None

    reader = ExcelReader(stream, read_only=True, data_only=True)
    try:
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        for sheet, rel in reader.parser.find_sheets():
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type:
                return FirstSheet(reader.wb, sheet.name, rel.target, reader.shared_strings), (
                    reader.archive
                )
    except Exception:
        reader.archive.close()
        raise
    reader.archive.close()
    raise UnreadableTable("xlsx")


def _read_xlsx(stream: IO[bytes], max_rows: int, max_bytes: int) -> list[list[Any]]:
    _check_archive(stream, max_bytes)
    try:
        sheet, archive = _first_sheet(stream)
    except UnreadableTable:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise UnreadableTable("xlsx") from exc
    try:
        # The dimension in the file is the writer's claim: a sheet that says A1:XFD1048576
        # would otherwise be padded out to it, row by row.
        sheet.reset_dimensions()
        return _collect(sheet.iter_rows(values_only=True), max_rows, pad=True)
    except UnreadableTable:
        raise
    except Exception as exc:
        raise UnreadableTable("xlsx") from exc
    finally:
        archive.close()


def _read_csv(stream: IO[bytes], max_rows: int, max_bytes: int) -> list[list[Any]]:
    size = _stream_size(stream)
    if size > max_bytes:
        raise _too_large(size, max_bytes)
    for encoding in TEXT_ENCODINGS:
        stream.seek(0)
        # newline="" as the csv module wants: lines end at \r, \n or \r\n only, and a quoted
        # cell may hold line breaks.
        text = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")
        try:
            return _collect(csv.reader(text), max_rows)
        except UnicodeDecodeError:
            continue
        except csv.Error as exc:
            raise UnreadableTable("csv") from exc
        finally:
            text.detach()  # the caller's file stays open
    raise UnreadableTable("encoding")


def read_table(
    data: bytes | IO[bytes],
    name: str = "",
    *,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_TABLE_BYTES,
) -> list[list[Any]]:
    """The rows of a CSV (UTF-8 with or without BOM, or GB18030) or XLSX file (first sheet), as
    lists of cell values (blank lines are empty lists; blank lines at the end are left out).

    ``data`` is the file's bytes or a binary file. The file is read row by row and refused as
    soon as it is over a limit: more than ``max_rows`` rows, more than ``max_bytes`` bytes (for
    an XLSX: unpacked, as its zip directory says, before anything is parsed), a zip bomb, or a
    cell or file name holding a character PostgreSQL cannot store (NUL, a lone surrogate).
    Raises :class:`UnreadableTable`, whose message says which and where."""
    _check_name(name)
    stream = _as_bytes_stream(data)
    if is_xlsx(stream, name):
        return _read_xlsx(stream, max_rows, max_bytes)
    return _read_csv(stream, max_rows, max_bytes)


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

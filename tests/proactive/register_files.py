"""Register files as a register exports them (docs/registers.md), written row by row (streamed,
never held in memory): the tests' small files and the city bench's 1.79 million companies."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from tests.factories import make_resident_id, make_uscc

QINGDAO = (
    "370202",
    "370203",
    "370211",
    "370212",
    "370213",
    "370214",
    "370215",
    "370281",
    "370283",
    "370285",
)
COMPANY_HEADER = (
    "uscc",
    "name",
    "type",
    "legal_representative",
    "legal_representative_id",
    "address",
    "district",
    "established_on",
    "status",
    "shareholders",
    "mobile",
)
CERTIFICATE_HEADER = (
    "number",
    "type",
    "holder_uscc",
    "grade",
    "issued_on",
    "expires_on",
    "status",
    "particulars",
)


def company_row(n: int, *, name_suffix: str = "") -> dict:
    """Company number ``n``: valid, deterministic."""
    district = QINGDAO[n % len(QINGDAO)]
    holders = f"法人{n}:60.00;青岛投资{n % 97}有限公司:40.00" if n % 2 else f"法人{n}:100.00"
    return {
        "uscc": make_uscc(n, district),
        "name": f"青岛城市{n}商贸有限公司{name_suffix}",
        "type": "limited",
        "legal_representative": f"法人{n}",
        "legal_representative_id": make_resident_id(n, district, "19800101"),
        "address": f"青岛市某区某路{n % 997}号",
        "district": district,
        "established_on": f"20{10 + n % 15:02d}-0{1 + n % 9}-1{n % 10}",
        "status": "active",
        "shareholders": holders,
        "mobile": f"139{n % 100_000_000:08d}",
    }


def certificate_row(n: int, type_code: str, *, grade: str = "", expires: str = "") -> dict:
    """Certificate number ``n``, held by company ``n``."""
    return {
        "number": f"RC{n:08d}",
        "type": type_code,
        "holder_uscc": make_uscc(n, QINGDAO[n % len(QINGDAO)]),
        "grade": grade,
        "issued_on": "2024-03-01",
        "expires_on": expires or f"2029-0{1 + n % 9}-01",
        "status": "valid",
        "particulars": {"name": f"青岛城市{n}商贸有限公司", "legal_representative": f"法人{n}"},
    }


def write_rows(
    path: Path,
    header: Iterable[str],
    rows: Iterator[dict],
    *,
    fmt: str = "csv",
    encoding: str = "utf-8",
) -> Path:
    header = tuple(header)
    with path.open("w", encoding=encoding, newline="") as handle:
        if fmt == "csv":
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in rows:
                writer.writerow(
                    [
                        json.dumps(row[h], ensure_ascii=False)
                        if isinstance(row[h], dict)
                        else row[h]
                        for h in header
                    ]
                )
        else:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def write_companies(
    path: Path,
    numbers: Iterable[int],
    *,
    fmt: str = "csv",
    encoding: str = "utf-8",
    change: Callable[[int, dict], dict] | None = None,
) -> Path:
    def rows() -> Iterator[dict]:
        for n in numbers:
            row = company_row(n)
            yield change(n, row) if change else row

    return write_rows(path, COMPANY_HEADER, rows(), fmt=fmt, encoding=encoding)

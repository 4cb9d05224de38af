"""The catalogue's reference data: what every deployment loads (``manage.py load_reference``),
kept in the UTF-8 CSV files next to this module, each with a heading:

- ``regions.csv``: Qingdao, its ten districts and county-level cities, and the five Jiaodong
  cities (GB/T 2260 codes). The one place the codes are written: migration 0002 fills the
  ``Region`` table from it, and the other apps ask the table (``selectors.qingdao_districts``).
- ``departments.csv``: the departments at city, district, town/street and village/community
  level, with their parent departments and unified social credit codes (the demo's are
  structure-valid, with a right check character, but not the real bureaus' codes: ADR 0121).
- ``basic_services.csv``: the basic catalogue (基本目录): each service once, with its basic code,
  legal basis (empty where it is not known: never a made-up one) and competent levels.
- ``items.csv``: the implementations (实施清单), each naming its basic service and its former
  code (old addresses redirect), in the format of the staff's import
  (:func:`portal.catalogue.services.import_items`), which loads them.
- ``materials.csv``: each item's materials, by item code and position, with an English note.
- ``material_names.csv``: the English name of each material name that occurs (English pages show
  it, issue 14 point 9); a name missing from it keeps no English name and shows in Chinese.
- ``synonyms.csv``: the words and everyday phrases citizens type and the catalogue's words for
  them (search, ADR 0108); only phrases not stored yet are added, staff's edits stay.
- ``handling_lists.csv`` and ``list_entries.csv``: the four handling lists and their dated
  entries (current: 全市通办 699, 区域通办 40, town/street 57, village/community 23 items).

Idempotent: rows are matched on their natural keys (code; item and position; list, item and date
added) and only missing or changed rows are written, so a second run changes nothing and a
changed name is updated (with a history record of the old value). Rows the files do not name are
left alone."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from portal.reference import ReferenceDataError, read_csv, sync

DATA = Path(__file__).resolve().parent
TRUE = "1"


def read(name: str) -> list[dict[str, str]]:
    """The rows of the data file ``name`` as dicts by heading."""
    return read_csv(DATA / name)


def region_rows() -> list[dict[str, Any]]:
    """The regions as field values (parents before their children), for the table and for
    migration 0002."""
    return [
        {
            "code": row["code"],
            "name": row["name"],
            "name_en": row["name_en"],
            "level": row["level"],
            "parent_id": row["parent"] or None,
            "latitude": Decimal(row["latitude"]),
            "longitude": Decimal(row["longitude"]),
            "jiaodong_member": row["jiaodong_member"] == TRUE,
            "note": row["note"],
        }
        for row in read("regions.csv")
    ]


def load(stdout=None) -> None:
    """Load (or bring up to date) the catalogue's reference data. Run in one transaction by
    ``load_reference``."""
    from portal.catalogue.models import (
        BasicService,
        Department,
        HandlingList,
        ListEntry,
        ListKind,
        Region,
    )
    from portal.catalogue.search.services import rebuild_documents, seed_synonyms

    counts = {
        "regions": sync(Region, ["code"], region_rows()),
        "departments": _departments(Department),
        "basic services": sync(BasicService, ["basic_code"], read("basic_services.csv")),
        "items": _items(),
        "materials": _materials(),
        "lists": sync(
            HandlingList,
            ["kind"],
            [
                {k: row[k] for k in ("kind", "name", "name_en", "description", "description_en")}
                for row in read("handling_lists.csv")
            ],
        ),
    }
    lists = dict(HandlingList.objects.values_list("kind", "id"))
    regional = HandlingList.objects.get(kind=ListKind.REGIONAL)
    regional.regions.set(Region.objects.filter(jiaodong_member=True))
    items = _item_ids()
    counts["list entries"] = sync(
        ListEntry,
        ["handling_list_id", "item_id", "added_on"],
        [
            {
                "handling_list_id": lists[row["list"]],
                "item_id": items[row["item"]],
                "added_on": _date(row["added_on"]),
                "removed_on": _date(row["removed_on"]),
                "note": row["note"],
            }
            for row in read("list_entries.csv")
        ],
    )
    if counts["items"] != (0, 0) or counts["materials"] != (0, 0):
        # bulk writes: the documents of items whose materials changed are written again
        rebuild_documents()
    counts["search synonyms"] = (seed_synonyms(_synonym_rows()), 0)
    if stdout is not None:
        stdout.write(
            "  catalogue: "
            + ", ".join(
                f"{what} {new} new, {changed} changed" for what, (new, changed) in counts.items()
            )
        )


def material_names_en() -> dict[str, str]:
    """The English names of the materials by their Chinese name (``material_names.csv``), for
    the loader and for migration 0005."""
    return {row["name"]: row["name_en"] for row in read("material_names.csv")}


def _synonym_rows() -> list[tuple[str, str, str]]:
    """The search synonyms every deployment starts with (staff edit them in the admin; a
    phrase already stored is left as staff left it)."""
    return [(row["phrase"], row["expansions"], row["domain"]) for row in read("synonyms.csv")]


def _date(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _item_ids() -> dict[str, int]:
    from portal.catalogue.models import ServiceItem

    return dict(ServiceItem.objects.values_list("code", "id"))


def _departments(Department) -> tuple[int, int]:
    """Parents before their children: each round loads the rows whose parent is stored."""
    remaining = read("departments.csv")
    created = updated = 0
    while remaining:
        ids = dict(Department.objects.values_list("code", "id"))
        ready = [row for row in remaining if not row["parent"] or row["parent"] in ids]
        if not ready:
            codes = ", ".join(sorted({row["parent"] for row in remaining}))
            raise ReferenceDataError(f"departments.csv: unknown parent departments: {codes}.")
        new, changed = sync(
            Department,
            ["code"],
            [
                {
                    "code": row["code"],
                    "credit_code": row["credit_code"],
                    "name": row["name"],
                    "name_en": row["name_en"],
                    "region_id": row["region"],
                    "level": row["level"],
                    "parent_id": ids.get(row["parent"]),
                    "phone": row["phone"],
                    "address": row["address"],
                }
                for row in ready
            ],
        )
        created, updated = created + new, updated + changed
        remaining = [row for row in remaining if row not in ready]
    return created, updated


def _item_as_row(item, columns: list[str]) -> dict[str, str]:
    """A stored item in the terms of items.csv, to tell a changed row from an unchanged one."""
    row = {}
    for column in columns:
        if column == "department":
            value = item.department.code
        elif column == "basic":
            value = item.basic.basic_code
        else:
            value = getattr(item, column)
        if isinstance(value, bool):
            value = "1" if value else "0"
        row[column] = "" if value is None else str(value)
    return row


def _items() -> tuple[int, int]:
    """New and changed items go through the staff's import (its checks, search text and
    history); unchanged ones are not touched."""
    from portal.catalogue.models import ServiceItem
    from portal.catalogue.services import import_items

    with open(DATA / "items.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = list(reader.fieldnames or ())
        rows = list(reader)
    stored = {
        item.code: _item_as_row(item, columns)
        for item in ServiceItem.objects.select_related("department", "basic")
    }
    wanted = [row for row in rows if stored.get(row["code"]) != row]
    if not wanted:
        return 0, 0
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(wanted)
    result = import_items(io.BytesIO(buffer.getvalue().encode("utf-8")), "items.csv")
    if not result.ok:
        problems = "; ".join(str(error) for error in result.errors[:10])
        raise ReferenceDataError(f"items.csv: {problems}")
    return result.created, result.updated


def _materials() -> tuple[int, int]:
    from portal.catalogue.models import Material

    items = _item_ids()
    english = material_names_en()
    return sync(
        Material,
        ["item_id", "position"],
        [
            {
                "item_id": items[row["item"]],
                "position": int(row["position"]),
                "name": row["name"],
                "name_en": english.get(row["name"], ""),
                "required": row["required"] == TRUE,
                "source": row["source"],
                "note": row["note"],
                "note_en": row["note_en"],
                "commitment_text": row["commitment_text"],
            }
            for row in read("materials.csv")
        ],
    )

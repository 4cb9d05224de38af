"""Qingdao's legal-aid reference data, which every deployment loads (``manage.py
load_reference``), in the CSV files next to this module:

- ``centres.csv``: the 21 centres: the city centre, one in each of the ten districts and
  county-level cities, and ten branch centres (分中心) hosted by universities, notaries, law
  firms, legal service offices and mediation bodies (``parent`` names the centre a branch
  belongs to);
- ``bodies.csv``: the courts, procuratorate, arbitration and mediation bodies that handle the
  cases, which route applications to the centre where the body sits.

Idempotent (rows matched on their codes; only missing or changed rows are written)."""

from __future__ import annotations

from pathlib import Path

from portal.catalogue.models import Department
from portal.reference import read_csv, sync

from ..models import Body, Centre

DATA = Path(__file__).resolve().parent
JUSTICE_BUREAU = "青岛市司法局"  # the department that answers for the centres (ratings)


def centre_code(region_code: str) -> str:
    return f"LA{region_code}"


def load(stdout=None) -> dict[str, Centre]:
    """Create or update the centres and the bodies; returns the centres by code, in the order
    of centres.csv."""
    justice = Department.objects.filter(name=JUSTICE_BUREAU).first()
    rows = read_csv(DATA / "centres.csv")
    created = updated = 0
    # centres first, then the branches, which name their centre
    for branches in (False, True):
        ids = dict(Centre.objects.values_list("code", "id"))
        new, changed = sync(
            Centre,
            ["code"],
            [
                {
                    "code": row["code"],
                    "name": row["name"],
                    "name_en": row["name_en"],
                    "kind": row["kind"],
                    "region_id": row["region"],
                    "parent_id": ids[row["parent"]] if row["parent"] else None,
                    "host": row["host"],
                    "justice_bureau": row["justice_bureau"],
                    "department_id": justice.pk if justice else None,
                    "address": row["address"],
                    "phone": row["phone"],
                }
                for row in rows
                if bool(row["parent"]) == branches
            ],
        )
        created, updated = created + new, updated + changed
    bodies = sync(
        Body,
        ["code"],
        [
            {k: row[k] for k in ("code", "name", "name_en", "kind")} | {"region_id": row["region"]}
            for row in read_csv(DATA / "bodies.csv")
        ],
    )
    if stdout is not None:
        stdout.write(
            f"  legal aid: centres {created} new, {updated} changed; "
            f"bodies {bodies[0]} new, {bodies[1]} changed"
        )
    stored = {c.code: c for c in Centre.objects.filter(code__in=[row["code"] for row in rows])}
    return {row["code"]: stored[row["code"]] for row in rows}

"""The reference data of proactive approvals, which every deployment loads (``manage.py
load_reference``): ``certificate_types.csv``, the certificate types the 20 pilot items (无感审批)
change or renew, each with the catalogue item (by code) that does it, its validity and grades;
and the certificates people hold in their own name (``holder`` = ``person``, with the
``legal_basis``): the food handler's health certificate, the nurse's practice registration, the
road transport worker's qualification certificate (ADR 0111).

Idempotent (rows matched on their codes; only missing or changed rows are written)."""

from __future__ import annotations

from pathlib import Path

from portal.catalogue.models import ServiceItem
from portal.reference import ReferenceDataError, read_csv, sync

from ..models import CertificateType

DATA = Path(__file__).resolve().parent


def load(stdout=None) -> None:
    rows = read_csv(DATA / "certificate_types.csv")
    items = dict(
        ServiceItem.objects.filter(code__in=[row["item"] for row in rows]).values_list("code", "id")
    )
    missing = sorted({row["item"] for row in rows} - set(items))
    if missing:
        raise ReferenceDataError(
            f"certificate_types.csv: no catalogue item {', '.join(missing)} "
            "(load the catalogue's reference data first)."
        )
    new, changed = sync(
        CertificateType,
        ["code"],
        [
            {
                "code": row["code"],
                "name": row["name"],
                "name_en": row.get("name_en") or "",
                "item_id": items[row["item"]],
                "validity_years": int(row["validity_years"]),
                "grades": row["grades"],
                # who holds it (ADR 0111) and the law that says it must be renewed
                "holder": row.get("holder") or "company",
                "legal_basis": row.get("legal_basis") or "",
            }
            for row in rows
        ],
    )
    if stdout is not None:
        stdout.write(f"  proactive: certificate types {new} new, {changed} changed")

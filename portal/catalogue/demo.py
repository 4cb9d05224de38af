"""Demo data for the catalogue: the reference catalogue (regions, departments, about 2,500
service items with their materials, the four handling lists with a dated history: see
``portal.catalogue.reference``), plus how often citizens use each item (``popularity``, which a
real deployment gathers from use; the demo's figures are in ``demo_popularity.csv``).

Idempotent: running it twice changes nothing."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from portal.catalogue import reference
from portal.catalogue.models import ServiceItem

POPULARITY = Path(__file__).resolve().parent / "demo_popularity.csv"


@transaction.atomic
def load(stdout=None) -> None:
    reference.load(stdout)
    with open(POPULARITY, encoding="utf-8", newline="") as handle:
        wanted = {row["item"]: int(row["popularity"]) for row in csv.DictReader(handle)}
    changed = [
        ServiceItem(id=pk, popularity=wanted[code])
        for pk, code, popularity in ServiceItem.objects.filter(code__in=wanted).values_list(
            "id", "code", "popularity"
        )
        if popularity != wanted[code]
    ]
    ServiceItem.objects.bulk_update(changed, ["popularity"], batch_size=1000)
    if stdout is not None:
        stdout.write(f"  catalogue: popularity of {len(changed)} items set")

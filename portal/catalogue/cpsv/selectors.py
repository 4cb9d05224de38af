"""Queries behind ``/api/cpsv/``: the published items and departments with everything their
documents show joined or prefetched, so a page runs a fixed number of queries whatever its size
(ADR 0116)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from portal.catalogue import selectors
from portal.catalogue.models import Department, Material, ServiceItem


def services() -> QuerySet[ServiceItem]:
    """The active items by code, with department, region, materials and list membership
    (``on_<list kind>``, annotated)."""
    return (
        selectors.item_queryset()
        .select_related("department__region", "department__parent")
        .prefetch_related(
            Prefetch("materials", queryset=Material.objects.order_by("item_id", "position", "id"))
        )
        .order_by("code")
    )


def get_service(code: str) -> ServiceItem:
    """One active item; ``ServiceItem.DoesNotExist`` when there is none by that code."""
    return services().get(code=code)


def organisations() -> QuerySet[Department]:
    """The departments by code, with region and parent."""
    return Department.objects.select_related("region", "parent").order_by("code")


def get_organisation(code: str) -> Department:
    """One department; ``Department.DoesNotExist`` when there is none by that code."""
    return organisations().get(code=code)

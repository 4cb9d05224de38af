"""Queries behind the HSDS feed: what the public sees today, as set-based querysets, so every page
runs a fixed number of queries whatever the number of outlets, items or list entries."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery

from portal import pagecache
from portal.catalogue.models import Department, ServiceItem

from .. import hours as clock
from ..models import ItemListEntry, OpeningHours, Outlet, OutletStatus, Terminal
from ..selectors import in_effect_versions
from . import ids

#: The operators in the order the feed lists them (before the departments).
OPERATOR_ORDER = ("government", "icbc", "ccb", "rcb")


def today() -> datetime.date:
    return clock.local_now().date()


def public_outlets() -> QuerySet[Outlet]:
    """The outlets the feed publishes: every one not closed for good."""
    return Outlet.objects.exclude(status=OutletStatus.CLOSED)


def current_version_ids(on: datetime.date) -> QuerySet:
    """The list version in effect on ``on`` at each public outlet (a subquery)."""
    return (
        public_outlets()
        .annotate(version_id=Subquery(in_effect_versions(on).values("pk")[:1]))
        .filter(version_id__isnull=False)
        .values("version_id")
    )


def offered_entries(on: datetime.date) -> QuerySet[ItemListEntry]:
    """Every entry of the lists in effect: one item offered at one outlet."""
    return ItemListEntry.objects.filter(version_id__in=current_version_ids(on))


def services(on: datetime.date) -> QuerySet[ServiceItem]:
    """The items offered at some outlet on ``on``, with their competent department."""
    return (
        ServiceItem.objects.filter(Exists(offered_entries(on).filter(item=OuterRef("pk"))))
        .select_related("department")
        .order_by("code")
    )


def departments(on: datetime.date) -> QuerySet[Department]:
    """The competent departments of the items offered on ``on``."""
    return Department.objects.filter(
        Exists(offered_entries(on).filter(item__department=OuterRef("pk")))
    ).order_by("code")


def operators() -> list[str]:
    """The operators running at least one public outlet, in the feed's order."""
    running = set(public_outlets().values_list("operator", flat=True).distinct())
    return [code for code in OPERATOR_ORDER if code in running]


def service_at_locations(on: datetime.date) -> QuerySet[ItemListEntry]:
    """The entries of the lists in effect, with their item, department and outlet, and the
    terminals named on each (empty: every terminal)."""
    return (
        offered_entries(on)
        .select_related("item__department", "version__outlet")
        .prefetch_related(
            Prefetch("terminals", queryset=Terminal.objects.order_by("code").only("code"))
        )
        # the entry table's own (version, item) index: a deep page is an index walk, not a
        # sort of every entry (a version is one outlet's list, so an outlet's items stay together)
        .order_by("version_id", "item_id")
    )


def with_location_details(qs: QuerySet, prefix: str = "") -> QuerySet:
    """Join an outlet's district and city and prefetch its opening hours, which only a detail
    shows (``prefix`` leads from the rows to the outlet)."""
    return qs.select_related(f"{prefix}district", f"{prefix}district__parent").prefetch_related(
        Prefetch(
            f"{prefix}opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens")
        )
    )


# --- one record by its HSDS id ------


def service_by_id(hsds_id: str, on: datetime.date) -> ServiceItem | None:
    pk = ids.find(hsds_id, services(on).values_list("pk", flat=True), ids.service)
    return None if pk is None else services(on).filter(pk=pk).first()


def entries_of_service(item: ServiceItem, on: datetime.date) -> QuerySet[ItemListEntry]:
    """Where ``item`` is offered on ``on``: its entries with outlet, place and hours."""
    qs = service_at_locations(on).filter(item=item)
    return with_location_details(qs, "version__outlet__")


#: (data version and day, {id key: entry pk}) of the last service-at-location index built here.
_entry_index: tuple[str, dict[bytes, int]] = ("", {})


def _entries_by_id(on: datetime.date) -> dict[bytes, int]:
    """Every service at a location today by its id's key. Built once per data version and day in
    each process (a city's lists hold some 100,000 entries: one query and a hash each, about half
    a second), so a harvester reading every record does not pay it on each one."""
    global _entry_index
    version = f"{pagecache.data_version()}:{on.isoformat()}"
    if _entry_index[0] != version:
        pairs = offered_entries(on).values_list("version__outlet_id", "item_id", "pk")
        index = {
            ids.digest_key("service_at_location", outlet_pk, item_pk): pk
            for outlet_pk, item_pk, pk in pairs
        }
        _entry_index = (version, index)
    return _entry_index[1]


def service_at_location_by_id(hsds_id: str, on: datetime.date) -> ItemListEntry | None:
    hsds_id = hsds_id.lower()
    key = ids.key_of(hsds_id)
    pk = None if key is None else _entries_by_id(on).get(key)
    if pk is None:
        return None
    qs = with_location_details(service_at_locations(on), "version__outlet__")
    entry = qs.filter(pk=pk).first()
    if entry is None or ids.service_at_location(entry.version.outlet_id, entry.item_id) != hsds_id:
        return None  # gone since the index was built, or not this id (a key shared by chance)
    return entry


def department_by_id(hsds_id: str, on: datetime.date) -> Department | None:
    pk = ids.find(hsds_id, departments(on).values_list("pk", flat=True), ids.department)
    return None if pk is None else Department.objects.filter(pk=pk).first()


def operator_by_id(hsds_id: str) -> str | None:
    return ids.find(hsds_id, operators(), ids.operator)

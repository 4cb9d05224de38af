"""Queries of the outlets app. Distance, the list in effect and "open now" are computed in the
database, so a page runs a fixed number of queries whatever the number of outlets."""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt
from django.utils.functional import Promise

from portal.access import NOTHING
from portal.accounts.permissions import is_administrator

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.accounts.models import User
from portal.catalogue.models import Domain, Region, ServiceItem

from . import access
from . import hours as clock
from .hours import DayRule
from .models import (
    ItemListEntry,
    ItemListVersion,
    OpeningHours,
    Outlet,
    OutletStatus,
    VersionStatus,
)

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
KM_PER_DEGREE_LAT = math.pi * EARTH_RADIUS_KM / 180


# --- the list in effect ------


def published_versions(outlet: Outlet | int) -> QuerySet[ItemListVersion]:
    return ItemListVersion.objects.filter(outlet=outlet, status=VersionStatus.PUBLISHED)


def in_effect_versions(on: datetime.date, outlet_ref: Any = None) -> QuerySet[ItemListVersion]:
    """Published versions effective on ``on``, the one in effect first (for a subquery)."""
    return ItemListVersion.objects.filter(
        outlet=outlet_ref if outlet_ref is not None else OuterRef("pk"),
        status=VersionStatus.PUBLISHED,
        effective_date__lte=on,
    ).order_by("-effective_date", "-number")


def version_in_effect(outlet: Outlet, on: datetime.date | None = None) -> ItemListVersion | None:
    """The published version with the latest effective date on or before ``on`` (default today)."""
    on = on or clock.local_now().date()
    return in_effect_versions(on, outlet).select_related("published_by").first()


def latest_published(outlet: Outlet) -> ItemListVersion | None:
    """The most recently published version (it may take effect only in the future)."""
    return published_versions(outlet).order_by("-number").first()


def with_current_version(qs: QuerySet[Outlet], on: datetime.date) -> QuerySet[Outlet]:
    """Annotate ``current_version_id`` and ``item_count`` of the list in effect on ``on``."""
    versions = in_effect_versions(on)
    return qs.annotate(
        current_version_id=Subquery(versions.values("pk")[:1]),
        item_count=Subquery(versions.values("entry_count")[:1]),
    )


# --- open now ------


def _hours_cover(weekday: int, at: datetime.time) -> Q:
    return Q(
        Exists(
            OpeningHours.objects.filter(
                outlet=OuterRef("pk"), weekday=weekday, opens__lte=at, closes__gt=at
            )
        )
    )


def open_now_condition(now: datetime.datetime) -> Q:
    """A condition on Outlet rows: open at ``now`` (local time). The working-day and holiday
    decision for the date is taken once here, in Python; the hours are checked in SQL."""
    rule = DayRule.for_day(now.date())
    at = now.time().replace(tzinfo=None)
    branches = []
    if rule.calendar_weekday is not None:
        branches.append(Q(calendar="working_days") & _hours_cover(rule.calendar_weekday, at))
    weekly = Q(calendar="weekly") & _hours_cover(rule.weekly_weekday, at)
    if rule.holiday:
        weekly &= Q(closed_on_holidays=False)
    branches.append(weekly)
    return Q(status=OutletStatus.OPEN) & reduce(or_, branches)


def with_open_now(qs: QuerySet[Outlet], now: datetime.datetime) -> QuerySet[Outlet]:
    return qs.annotate(
        open_now=Case(
            When(open_now_condition(now), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def hours_today(outlet: Outlet, hours: list[OpeningHours], day: datetime.date) -> list:
    """The sessions that apply to ``outlet`` on ``day`` (``hours``: its prefetched rows)."""
    weekday = DayRule.for_day(day).weekday_for(outlet.calendar, outlet.closed_on_holidays)
    if weekday is None or outlet.status != OutletStatus.OPEN:
        return []
    return [h for h in hours if h.weekday == weekday]


def hours_by_weekday(
    hours: list[OpeningHours],
) -> list[tuple[int, str | Promise, list[OpeningHours]]]:
    from .models import Weekday

    grouped: dict[int, list[OpeningHours]] = defaultdict(list)
    for h in hours:
        grouped[h.weekday].append(h)
    return [(day.value, day.label, grouped.get(day.value, [])) for day in Weekday]


# --- distance ------


def distance_expression(lat: float, lng: float) -> Any:
    """Great-circle (haversine) distance in km from (lat, lng) to the outlet, computed in SQL."""
    lat0 = math.radians(lat)
    lng0 = math.radians(lng)
    dlat = Radians(F("latitude")) - Value(lat0, output_field=FloatField())
    dlng = Radians(F("longitude")) - Value(lng0, output_field=FloatField())
    a = Power(Sin(dlat / Value(2.0)), 2) + Value(math.cos(lat0), output_field=FloatField()) * Cos(
        Radians(F("latitude"))
    ) * Power(Sin(dlng / Value(2.0)), 2)
    return Value(2 * EARTH_RADIUS_KM, output_field=FloatField()) * ASin(
        Least(Sqrt(a), Value(1.0, output_field=FloatField()))
    )


def great_circle_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """The same haversine distance in Python (for checks and tests)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lng: float, radius_km: float) -> Q:
    """A cheap, index-friendly box around the circle (a prefilter for ``radius_km``)."""
    dlat = radius_km / KM_PER_DEGREE_LAT
    cos_lat = max(math.cos(math.radians(lat)), 1e-6)
    dlng = min(180.0, radius_km / (KM_PER_DEGREE_LAT * cos_lat))
    return Q(
        latitude__gte=lat - dlat,
        latitude__lte=lat + dlat,
        longitude__gte=lng - dlng,
        longitude__lte=lng + dlng,
    )


# --- the finder ------


CITY_ORDER = ("district_id", "kind", "code")  # lists without a point to measure from


def _narrow(
    qs: QuerySet[Outlet], *, district: str | None, kind: str | None, operator: str | None
) -> QuerySet[Outlet]:
    """Only the outlets in ``district``, of ``kind``, run by ``operator`` (each when given)."""
    wanted = {"district_id": district, "kind": kind, "operator": operator}
    return qs.filter(**{name: value for name, value in wanted.items() if value})


@dataclass
class FinderQuery:
    item: ServiceItem | None = None
    district: str | None = None  # GB/T 2260 code
    kind: str | None = None
    operator: str | None = None
    open_now: bool | None = None
    near: tuple[float, float] | None = None
    radius_km: float | None = None
    now: datetime.datetime | None = None


def find_outlets(query: FinderQuery) -> QuerySet[Outlet]:
    """Outlets matching ``query``: with ``open_now``, ``current_version_id``, ``item_count`` and,
    when ``near`` is given, ``distance_km``, nearest first. Nothing is sorted in Python."""
    qs = finder_outlets(query.now)
    qs = _narrow(qs, district=query.district, kind=query.kind, operator=query.operator)
    if query.item is not None:
        qs = offering(qs, query.item)
    if query.open_now is not None:
        qs = qs.filter(open_now=query.open_now)  # type: ignore[misc]  # annotated by with_open_now
    if query.near is not None:
        lat, lng = query.near
        qs = nearest_first(qs, lat, lng)
        if query.radius_km is not None:
            qs = within(qs, lat, lng, query.radius_km)
    return qs


def finder_outlets(now: datetime.datetime | None = None) -> QuerySet[Outlet]:
    """Every outlet the finder shows (not closed), with ``open_now`` and ``current_version_id``
    annotated, in the city's order."""
    now = now or clock.local_now()
    qs = Outlet.objects.exclude(status=OutletStatus.CLOSED).select_related("district")
    qs = with_current_version(qs, now.date())
    return with_open_now(qs, now).order_by(*CITY_ORDER)


def offering(qs: QuerySet[Outlet], item: ServiceItem) -> QuerySet[Outlet]:
    """Only the outlets whose list in effect has ``item`` (``qs`` from ``finder_outlets``)."""
    return qs.filter(
        Exists(
            ItemListEntry.objects.filter(item_id=item.pk, version_id=OuterRef("current_version_id"))
        )
    )


def nearest_first(qs: QuerySet[Outlet], lat: float, lng: float) -> QuerySet[Outlet]:
    """``distance_km`` from (lat, lng) annotated, nearest first."""
    return qs.annotate(distance_km=distance_expression(lat, lng)).order_by("distance_km", "code")


def within(qs: QuerySet[Outlet], lat: float, lng: float, radius_km: float) -> QuerySet[Outlet]:
    """Only the outlets within ``radius_km`` of (lat, lng) (``qs`` from ``nearest_first``)."""
    near = qs.filter(bounding_box(lat, lng, radius_km))
    return near.filter(distance_km__lte=radius_km)  # type: ignore[misc]  # from nearest_first


def self_service_items_matching(text: str) -> QuerySet[ServiceItem]:
    """Active self-service items whose code, name or keywords contain ``text``, most popular
    first."""
    return (
        ServiceItem.objects.filter(is_active=True, self_service=True)
        .filter(Q(code__icontains=text) | Q(name__icontains=text) | Q(keywords__icontains=text))
        .order_by("-popularity", "code")
    )


def resolve_item(text: str, limit: int = 8) -> tuple[ServiceItem | None, list[ServiceItem]]:
    """The item a citizen means by ``text`` (an exact code, else the most popular self-service
    item whose name or keywords contain it) and the other candidates. Two queries at most."""
    text = (text or "").strip()
    if not text:
        return None, []
    exact = ServiceItem.objects.filter(code__iexact=text, is_active=True).first()
    if exact is not None:
        return exact, []
    candidates = list(self_service_items_matching(text)[: limit + 1])
    if not candidates:
        return None, []
    return candidates[0], candidates[1:]


def districts() -> QuerySet[Region]:
    """The Qingdao districts and county-level cities (the finder's choices)."""
    return Region.objects.filter(parent_id="370200").order_by("code")


# --- one outlet ------


def outlet_for_page(code: str, now: datetime.datetime | None = None) -> Outlet | None:
    """One outlet with its district, hours and terminals, annotated with ``open_now``."""
    now = now or clock.local_now()
    qs = with_open_now(Outlet.objects.select_related("district"), now).prefetch_related(
        "opening_hours", "terminals"
    )
    return qs.filter(code=code).first()


@dataclass(frozen=True)
class ListedItem:
    """One item of a list as pages show it: plain values, no model instances."""

    code: str
    name: str
    domain: str
    domain_label: str
    terminals: tuple[str, ...]

    @property
    def terminal_text(self) -> str:
        return ", ".join(self.terminals)


def listed_items(version: ItemListVersion | None) -> list[ListedItem]:
    """The items of a version with the terminals offering each (empty: all), ordered by domain
    then code. Two queries returning tuples, so a 900-item list renders quickly."""
    if version is None:
        return []
    links: dict[int, list[str]] = defaultdict(list)
    for item_id, terminal_code in (
        ItemListEntry.terminals.through.objects.filter(itemlistentry__version=version)
        .order_by("terminal__code")
        .values_list("itemlistentry__item_id", "terminal__code")
    ):
        links[item_id].append(terminal_code)
    labels = dict(Domain.choices)
    return [
        ListedItem(code, name, domain, str(labels.get(domain, domain)), tuple(links.get(pk, ())))
        for pk, code, name, domain in ItemListEntry.objects.filter(version=version)
        .order_by("item__domain", "item__code")
        .values_list("item_id", "item__code", "item__name", "item__domain")
    ]


def group_by_domain(items: list[ListedItem]) -> list[tuple[str, list[ListedItem]]]:
    groups: dict[str, list[ListedItem]] = {}
    for item in items:
        groups.setdefault(item.domain_label, []).append(item)
    return list(groups.items())


def city_list(
    on: datetime.date | None = None,
    *,
    district: str | None = None,
    kind: str | None = None,
    operator: str | None = None,
) -> QuerySet[Outlet]:
    """Every outlet with the item count of its list in effect (市级清单查阅)."""
    on = on or clock.local_now().date()
    qs = with_current_version(Outlet.objects.select_related("district"), on)
    return _narrow(qs, district=district, kind=kind, operator=operator).order_by(*CITY_ORDER)


def outlets_offering_item(
    item: ServiceItem, near: tuple[float, float] | None, limit: int = 5
) -> tuple[list[Outlet], int]:
    """The outlets offering ``item`` now (nearest first when ``near`` is known), and how many
    there are: two queries."""
    qs = find_outlets(FinderQuery(item=item, near=near))
    return list(qs[:limit]), qs.count()


# --- managers ------


def is_outlet_manager(user: User | AnonymousUser) -> bool:
    return access.is_outlet_manager(user)


def may_manage_some(user: User | AnonymousUser) -> bool:
    """Does ``user`` manage any outlet's list (an outlet manager or an administrator)?"""
    return is_administrator(user) or access.is_outlet_manager(user)


def managed_outlets(user: User | AnonymousUser) -> QuerySet[Outlet]:
    """The outlets whose list ``user`` may draft and publish (``outlets.access``): those bound to
    an outlet manager, every outlet for an administrator, none for anybody else."""
    condition = access.manageable_outlets(user)
    if condition == NOTHING:
        return Outlet.objects.none()
    return Outlet.objects.filter(condition)


def can_manage(user: User | AnonymousUser, outlet: Outlet) -> bool:
    return access.may_manage_list(user, outlet)


def draft_of(outlet: Outlet) -> ItemListVersion | None:
    return ItemListVersion.objects.filter(outlet=outlet, status=VersionStatus.DRAFT).first()


def draft_entries(draft: ItemListVersion, within: str = "") -> QuerySet[ItemListEntry]:
    """The entries of ``draft`` with their item and terminals, by domain then code; ``within``:
    only those whose item code or name contains it."""
    entries = (
        ItemListEntry.objects.filter(version=draft)
        .select_related("item")
        .prefetch_related("terminals")
        .order_by("item__domain", "item__code")
    )
    if within:
        entries = entries.filter(Q(item__code__icontains=within) | Q(item__name__icontains=within))
    return entries


def items_to_add(draft: ItemListVersion, text: str, limit: int = 20) -> list[ServiceItem]:
    """Self-service items matching ``text`` that are not on ``draft`` yet (the editor's search)."""
    return list(self_service_items_matching(text).exclude(outlet_entries__version=draft)[:limit])


def version_history(outlet: Outlet) -> QuerySet[ItemListVersion]:
    return published_versions(outlet).select_related("published_by").order_by("-number")


# --- comparing versions ------


@dataclass
class EntryChange:
    code: str
    name: str
    domain: str
    old_terminals: list[str] = field(default_factory=list)
    new_terminals: list[str] = field(default_factory=list)


@dataclass
class ListDiff:
    added: list[EntryChange]
    removed: list[EntryChange]
    terminals_changed: list[EntryChange]
    unchanged: int

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.terminals_changed)


def _entry_map(version: ItemListVersion | None) -> dict[int, EntryChange]:
    if version is None:
        return {}
    rows = ItemListEntry.objects.filter(version=version).values_list(
        "pk", "item_id", "item__code", "item__name", "item__domain"
    )
    by_entry = {
        pk: (item_id, EntryChange(code, name, domain)) for pk, item_id, code, name, domain in rows
    }
    links = ItemListEntry.terminals.through.objects.filter(
        itemlistentry__version=version
    ).values_list("itemlistentry_id", "terminal__code")
    for entry_id, terminal_code in links:
        by_entry[entry_id][1].new_terminals.append(terminal_code)
    return dict(by_entry.values())


def diff_versions(old: ItemListVersion | None, new: ItemListVersion | None) -> ListDiff:
    """What changes from ``old`` to ``new``: items added, removed, and items whose terminals
    changed (four queries; the lists are bounded by the catalogue's self-service items)."""
    before, after = _entry_map(old), _entry_map(new)
    added = [after[i] for i in after.keys() - before.keys()]
    removed = []
    for i in before.keys() - after.keys():
        change = before[i]
        change.old_terminals, change.new_terminals = sorted(change.new_terminals), []
        removed.append(change)
    changed = []
    unchanged = 0
    for i in before.keys() & after.keys():
        old_t, new_t = sorted(before[i].new_terminals), sorted(after[i].new_terminals)
        if old_t != new_t:
            entry = after[i]
            entry.old_terminals, entry.new_terminals = old_t, new_t
            changed.append(entry)
        else:
            unchanged += 1
    for change in added:
        change.new_terminals.sort()

    def key(c: EntryChange) -> tuple[str, str]:
        return (c.domain, c.code)

    return ListDiff(
        added=sorted(added, key=key),
        removed=sorted(removed, key=key),
        terminals_changed=sorted(changed, key=key),
        unchanged=unchanged,
    )

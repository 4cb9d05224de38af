"""Queries of the outlets app. Distance, the list in effect and "open now" are computed in the
database, so a page runs a fixed number of queries whatever the number of outlets."""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable
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
from portal.catalogue import selectors as catalogue
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
    """The last list decided: the published version that takes effect last (it may be one
    scheduled for later; the higher number wins a tie, as in ``version_in_effect``)."""
    return published_versions(outlet).order_by("-effective_date", "-number").first()


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
    """Active self-service items matching ``text`` as the catalogue's search matches it (Chinese
    words and everyday phrases, pinyin, initials, English, a code), best first (ADR 0108)."""
    return catalogue.search_items(
        ServiceItem.objects.filter(is_active=True, self_service=True), text
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
        corrected = catalogue.corrected_query(text)  # 社宝 → 社保
        if corrected:
            candidates = list(self_service_items_matching(corrected)[: limit + 1])
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
    name_en: str = ""  # English pages show it (``local_name``)

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
        ListedItem(
            code, name, domain, str(labels.get(domain, domain)), tuple(links.get(pk, ())), name_en
        )
        for pk, code, name, name_en, domain in ItemListEntry.objects.filter(version=version)
        .order_by("item__domain", "item__code")
        .values_list("item_id", "item__code", "item__name", "item__name_en", "item__domain")
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
    only those whose item code, name or English name contains it (English pages show the English
    name, so a manager filters by what she reads)."""
    entries = (
        ItemListEntry.objects.filter(version=draft)
        .select_related("item")
        .prefetch_related("terminals")
        .order_by("item__domain", "item__code")
    )
    if within:
        entries = entries.filter(
            Q(item__code__icontains=within)
            | Q(item__name__icontains=within)
            | Q(item__name_en__icontains=within)
        )
    return entries


def items_to_add(draft: ItemListVersion, text: str, limit: int = 20) -> list[ServiceItem]:
    """Self-service items matching ``text`` that are not on ``draft`` yet (the editor's search)."""
    return list(self_service_items_matching(text).exclude(outlet_entries__version=draft)[:limit])


def numbered_versions(outlet: Outlet) -> QuerySet[ItemListVersion]:
    """Every version ever published, withdrawn ones included (they keep their numbers)."""
    return ItemListVersion.objects.filter(outlet=outlet).exclude(status=VersionStatus.DRAFT)


def version_history(outlet: Outlet) -> QuerySet[ItemListVersion]:
    """Every version ever published, newest first, withdrawn ones with what replaced them."""
    return (
        numbered_versions(outlet)
        .select_related("published_by", "withdrawn_by", "replaced_by")
        .order_by("-number")
    )


# --- comparing versions ------


@dataclass
class EntryChange:
    """One item in a comparison of two lists. It carries ``name_en`` as well as ``name`` so the
    manager's English pages name the item in English (``local_name``, issue 14 point 9)."""

    code: str
    name: str
    domain: str
    old_terminals: list[str] = field(default_factory=list)
    new_terminals: list[str] = field(default_factory=list)
    name_en: str = ""


@dataclass
class ListDiff:
    added: list[EntryChange]
    removed: list[EntryChange]
    terminals_changed: list[EntryChange]
    unchanged: int

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.terminals_changed)

    @property
    def change_count(self) -> int:
        return len(self.added) + len(self.removed) + len(self.terminals_changed)


# A list as a plain mapping: item id -> the ids of the terminals limited to (empty: all).
Snapshot = dict[int, frozenset[int]]


@dataclass
class Snapshots:
    """The entries of some versions, read in two queries, with what is needed to show them."""

    lists: dict[int, Snapshot]
    items: dict[int, tuple[str, str, str, str]]  # item id -> code, name, domain, name_en
    terminal_codes: dict[int, str]

    def of(self, version: ItemListVersion | None) -> Snapshot:
        return {} if version is None else self.lists.get(version.pk, {})

    def codes(self, terminal_ids: frozenset[int]) -> list[str]:
        return sorted(self.terminal_codes[t] for t in terminal_ids)

    def change(self, item_id: int, old=frozenset(), new=frozenset()) -> EntryChange:
        code, name, domain, name_en = self.items[item_id]
        return EntryChange(code, name, domain, self.codes(old), self.codes(new), name_en)

    def diff(self, before: Snapshot, after: Snapshot) -> ListDiff:
        def key(c: EntryChange) -> tuple[str, str]:
            return (c.domain, c.code)

        added = [self.change(i, new=after[i]) for i in after.keys() - before.keys()]
        removed = [self.change(i, old=before[i]) for i in before.keys() - after.keys()]
        common = before.keys() & after.keys()
        changed = [self.change(i, before[i], after[i]) for i in common if before[i] != after[i]]
        return ListDiff(
            added=sorted(added, key=key),
            removed=sorted(removed, key=key),
            terminals_changed=sorted(changed, key=key),
            unchanged=len(common) - len(changed),
        )


def load_snapshots(versions: Iterable[ItemListVersion | None]) -> Snapshots:
    """The entries and terminal limits of ``versions`` (None ignored): two queries in all."""
    ids = {v.pk for v in versions if v is not None}
    lists: dict[int, Snapshot] = {pk: {} for pk in ids}
    items: dict[int, tuple[str, str, str, str]] = {}
    entry_of: dict[int, tuple[int, int]] = {}
    for pk, version_id, item_id, code, name, domain, name_en in ItemListEntry.objects.filter(
        version_id__in=ids
    ).values_list(
        "pk", "version_id", "item_id", "item__code", "item__name", "item__domain", "item__name_en"
    ):
        items[item_id] = (code, name, domain, name_en)
        entry_of[pk] = (version_id, item_id)
    limits: dict[int, set[int]] = defaultdict(set)
    terminal_codes: dict[int, str] = {}
    for entry_id, terminal_id, terminal_code in ItemListEntry.terminals.through.objects.filter(
        itemlistentry__version_id__in=ids
    ).values_list("itemlistentry_id", "terminal_id", "terminal__code"):
        limits[entry_id].add(terminal_id)
        terminal_codes[terminal_id] = terminal_code
    for pk, (version_id, item_id) in entry_of.items():
        lists[version_id][item_id] = frozenset(limits.get(pk, ()))
    return Snapshots(lists, items, terminal_codes)


def diff_versions(old: ItemListVersion | None, new: ItemListVersion | None) -> ListDiff:
    """What changes from ``old`` to ``new``: items added, removed, and items whose terminals
    changed (two queries; the lists are bounded by the catalogue's self-service items)."""
    snapshots = load_snapshots([old, new])
    return snapshots.diff(snapshots.of(old), snapshots.of(new))


# --- publishing: what a publication changes, on its date and after ------


@dataclass(frozen=True)
class Changes:
    """A manager's edits, as the difference between the draft and the version it started from:
    items put on (with their terminals), items taken off, items whose terminals changed."""

    put: dict[int, frozenset[int]]
    retarget: dict[int, frozenset[int]]
    take_off: frozenset[int]

    @classmethod
    def between(cls, base: Snapshot, draft: Snapshot) -> Changes:
        return cls(
            put={i: t for i, t in draft.items() if i not in base},
            retarget={i: t for i, t in draft.items() if i in base and base[i] != t},
            take_off=frozenset(base.keys() - draft.keys()),
        )

    def apply(self, target: Snapshot) -> tuple[Snapshot, list[int]]:
        """``target`` with these edits, and the items whose terminal change did not apply (the
        target no longer has them: its own decision to take them off stands)."""
        result = {i: t for i, t in target.items() if i not in self.take_off}
        result.update(self.put)
        skipped = []
        for item_id, terminals in self.retarget.items():
            if item_id in result:
                result[item_id] = terminals
            else:
                skipped.append(item_id)
        return result, skipped


class Fate:
    """What a publication does to a version scheduled after today."""

    BEFORE = "before"  # takes effect before the chosen date: the new list is built on it
    REPLACED = "replaced"  # scheduled for the chosen date: the new list takes its place
    CARRIED = "carried"  # scheduled later: replaced by a copy with the change carried into it
    UNTOUCHED = "untouched"  # scheduled later and already as the change would make it


@dataclass
class ScheduledVersion:
    version: ItemListVersion
    diff: ListDiff  # what it changes compared with the list before it
    fate: str = Fate.BEFORE
    carried: ListDiff | None = None  # what the publication changes in it
    not_carried: list[EntryChange] = field(default_factory=list)
    result: Snapshot = field(default_factory=dict)

    @property
    def needs_confirmation(self) -> bool:
        return self.fate in (Fate.REPLACED, Fate.CARRIED)


@dataclass
class PublicationPlan:
    """Publishing ``draft`` for ``effective_date``, worked out before anything is written: the
    list public on that date, what the public will see change, and what happens to each version
    scheduled after today. The service publishes exactly this plan (ADR 0102)."""

    effective_date: datetime.date
    draft: ItemListVersion
    base: ItemListVersion | None  # the version the draft was started from
    changes: ListDiff  # the manager's edits (the draft against ``base``)
    public: ItemListVersion | None  # the list public on ``effective_date`` before publishing
    diff: ListDiff  # what the public sees change on ``effective_date``
    result: Snapshot  # the new version's list
    scheduled: list[ScheduledVersion]

    @property
    def is_empty(self) -> bool:
        return self.diff.is_empty

    @property
    def compared_with(self) -> int:
        """The number of the version compared with (0: none), for the publisher to check."""
        return self.public.number if self.public is not None and self.public.number else 0

    @property
    def to_confirm(self) -> list[int]:
        """The scheduled versions the publication replaces: the publisher names each of them."""
        return [s.version.number or 0 for s in self.scheduled if s.needs_confirmation]

    @property
    def base_withdrawn(self) -> bool:
        return self.base is not None and self.base.is_withdrawn


def scheduled_versions(outlet: Outlet, today: datetime.date) -> QuerySet[ItemListVersion]:
    """Published versions that have not taken effect yet, in the order they will."""
    return (
        published_versions(outlet)
        .filter(effective_date__gt=today)
        .select_related("published_by")
        .order_by("effective_date", "number")
    )


def version_in_effect_without(outlet: Outlet, version: ItemListVersion) -> ItemListVersion | None:
    """The list the public would see on ``version``'s date were it withdrawn."""
    return (
        in_effect_versions(version.effective_date, outlet)  # type: ignore[arg-type]
        .exclude(pk=version.pk)
        .first()
    )


def draft_base(outlet: Outlet, draft: ItemListVersion) -> ItemListVersion | None:
    """The version the draft was started from (a draft older than that record: the latest)."""
    if draft.based_on_id is not None:
        return draft.based_on
    return latest_published(outlet)


def publication_plan(
    outlet: Outlet,
    draft: ItemListVersion,
    effective_date: datetime.date,
    today: datetime.date | None = None,
) -> PublicationPlan:
    """What publishing ``draft`` for ``effective_date`` does (a fixed number of queries).

    The manager's edits are the draft against the version it was started from; the new version is
    the list public on ``effective_date`` with those edits, so nothing scheduled later is brought
    forward. Each version scheduled after that date gets the same edits (a new version replaces
    it), so nothing is reverted when its date comes."""
    today = today or clock.local_now().date()
    base = draft_base(outlet, draft)
    current = in_effect_versions(today, outlet).select_related("published_by").first()
    upcoming = list(scheduled_versions(outlet, today))
    snapshots = load_snapshots([base, draft, current, *upcoming])
    changes = Changes.between(snapshots.of(base), snapshots.of(draft))

    def in_effect_before(day: datetime.date) -> ItemListVersion | None:
        earlier = [v for v in upcoming if v.effective_date and v.effective_date < day]
        return earlier[-1] if earlier else current

    public = current
    scheduled = []
    for version in upcoming:
        before = in_effect_before(version.effective_date)  # type: ignore[arg-type]
        entry = ScheduledVersion(
            version, snapshots.diff(snapshots.of(before), snapshots.of(version))
        )
        if version.effective_date < effective_date:  # type: ignore[operator]
            public = version
        elif version.effective_date == effective_date:
            public, entry.fate = version, Fate.REPLACED
        else:
            entry.fate = Fate.CARRIED  # or untouched: decided below
        scheduled.append(entry)
    result, _skipped = changes.apply(snapshots.of(public))
    for entry in scheduled:
        if entry.fate == Fate.BEFORE:
            continue
        if entry.fate == Fate.REPLACED:  # the new version takes its place on the same date
            entry.result = result
            entry.carried = snapshots.diff(snapshots.of(entry.version), result)
            continue
        entry.result, skipped = changes.apply(snapshots.of(entry.version))
        entry.carried = snapshots.diff(snapshots.of(entry.version), entry.result)
        entry.not_carried = [snapshots.change(i, new=changes.retarget[i]) for i in sorted(skipped)]
        entry.fate = Fate.UNTOUCHED if entry.carried.is_empty else Fate.CARRIED
    return PublicationPlan(
        effective_date=effective_date,
        draft=draft,
        base=base,
        changes=snapshots.diff(snapshots.of(base), snapshots.of(draft)),
        public=public,
        diff=snapshots.diff(snapshots.of(public), result),
        result=result,
        scheduled=scheduled,
    )

"""Queries on the catalogue: item search and filters, list membership, list contents and history,
popular items, and two small helpers other apps may call (``is_on_list``, ``handling_scope``).

Every function returns a lazily evaluated queryset or runs a fixed number of queries, whatever
the number of items: list membership is annotated with ``Exists`` subqueries, never looked up per
row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from portal.catalogue.models import (
    QINGDAO_CODE,
    Department,
    HandlingList,
    ListEntry,
    ListKind,
    Region,
    ServiceItem,
)

LIST_KINDS: tuple[str, ...] = tuple(ListKind.values)
CHANNELS: tuple[str, ...] = ("online", "service_hall", "self_service", "mobile")

# Words citizens type, and what the catalogue calls the same thing. A query term also matches
# its expansions; the items' own ``keywords`` carry the abbreviations the other way round.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "社保": ("社会保险", "社会保障"),
    "医保": ("医疗保险", "医疗保障"),
    "公积金": ("住房公积金",),
    "个税": ("个人所得税",),
    "房产证": ("不动产权", "房屋所有权"),
    "房本": ("不动产权", "房屋所有权"),
    "过户": ("转移登记",),
    "低保": ("最低生活保障",),
    "身份证": ("居民身份证",),
    "执照": ("营业执照",),
    "开公司": ("设立登记",),
    "法援": ("法律援助",),
    "残联": ("残疾人",),
    "养老金": ("养老保险",),
    "生育险": ("生育保险",),
}


def _membership(kind: str) -> Exists:
    return Exists(
        ListEntry.objects.filter(
            item=OuterRef("pk"), handling_list__kind=kind, removed_on__isnull=True
        )
    )


def item_queryset(active_only: bool = True) -> QuerySet[ServiceItem]:
    """Items with their department and region joined and ``on_<list kind>`` booleans annotated."""
    qs = ServiceItem.objects.select_related("department__region__parent").annotate(
        **{f"on_{kind}": _membership(kind) for kind in LIST_KINDS}
    )
    return qs.filter(is_active=True) if active_only else qs


def search_terms(query: str) -> list[tuple[str, ...]]:
    """Split a query on white space; each term with the words it also stands for."""
    return [(term, *SYNONYMS.get(term, ())) for term in query.split()][:8]


def search_items(qs: QuerySet[ServiceItem], query: str) -> QuerySet[ServiceItem]:
    """Every term (or one of its synonyms) must occur in the name, English name, keywords, code
    or department name. Substring matching, so two Chinese characters ("社保") are enough.
    Items whose name contains the whole query come first, then by popularity.

    The five texts are matched in one lower-cased column, ``search_text`` (ADR 0010)."""
    query = (query or "").strip()
    if not query:
        return qs
    for variants in search_terms(query.lower()):
        condition = Q()
        for word in variants:
            condition |= Q(search_text__contains=word)
        qs = qs.filter(condition)
    return qs.annotate(
        relevance=Case(
            When(name__startswith=query, then=Value(0)),
            When(name__contains=query, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("relevance", "-popularity", "code")


@dataclass
class ItemFilters:
    """What a citizen or an API client may filter items by. ``None`` means "any"."""

    q: str = ""
    domain: str = ""
    department: str = ""  # department code
    level: str = ""  # department level
    kind: str = ""
    applicant_kind: str = ""
    channel: str = ""
    city_wide: bool | None = None
    regional: bool | None = None
    town: bool | None = None
    village: bool | None = None
    proactive: bool | None = None

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> ItemFilters:
        fields = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in fields and v not in (None, "")})


def filter_items(
    filters: ItemFilters, qs: QuerySet[ServiceItem] | None = None
) -> QuerySet[ServiceItem]:
    qs = item_queryset() if qs is None else qs
    if filters.domain:
        qs = qs.filter(domain=filters.domain)
    if filters.department:
        qs = qs.filter(department__code=filters.department)
    if filters.level:
        qs = qs.filter(department__level=filters.level)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.applicant_kind:
        qs = qs.filter(applicant_kind=filters.applicant_kind)
    if filters.channel in CHANNELS:
        qs = qs.filter(**{filters.channel: True})
    for kind in LIST_KINDS:
        wanted = getattr(filters, kind)
        if wanted is not None:
            qs = qs.filter(**{f"on_{kind}": wanted})
    if filters.proactive is not None:
        qs = qs.filter(proactive=filters.proactive)
    if filters.q:
        return search_items(qs, filters.q)
    return qs.order_by("code")


def popular_items(limit: int = 8) -> QuerySet[ServiceItem]:
    return item_queryset().order_by("-popularity", "code")[:limit]


def get_item(code: str) -> ServiceItem:
    """One item with its materials prefetched; raises ServiceItem.DoesNotExist."""
    return item_queryset(active_only=False).prefetch_related("materials").get(code=code)


def item_list_entries(item: ServiceItem) -> list[ListEntry]:
    """The item's memberships, current and past, newest first."""
    return list(
        ListEntry.objects.filter(item=item)
        .select_related("handling_list")
        .order_by("-added_on", "handling_list__kind")
    )


def department_choices() -> QuerySet[Department]:
    return Department.objects.only("code", "name", "name_en", "level").order_by("level", "code")


def departments(level: str = "", region: str = "") -> QuerySet[Department]:
    """Departments with their parent, by code; of one level and/or one region (a region code)."""
    qs = Department.objects.select_related("parent").order_by("code")
    if level:
        qs = qs.filter(level=level)
    if region:
        qs = qs.filter(region_id=region)
    return qs


# Lists ------------------------------------------------------------------------------------------


def handling_lists() -> QuerySet[HandlingList]:
    """The published lists with their current item count and participating regions."""
    return (
        HandlingList.objects.annotate(
            current_count=Count("entries", filter=Q(entries__removed_on__isnull=True))
        )
        .prefetch_related("regions")
        .order_by("kind")
    )


def get_list(kind: str) -> HandlingList | None:
    return handling_lists().filter(kind=kind).first()


def list_items(kind: str, filters: ItemFilters | None = None) -> QuerySet[ServiceItem]:
    """The items currently on the list of ``kind``, with the date each joined it."""
    qs = item_queryset().filter(**{f"on_{kind}": True})
    qs = filter_items(filters or ItemFilters(), qs)
    return qs.annotate(
        added_on=Subquery(
            ListEntry.objects.filter(
                item=OuterRef("pk"), handling_list__kind=kind, removed_on__isnull=True
            ).values("added_on")[:1]
        )
    )


@dataclass
class HistoryDay:
    day: date
    added: int = 0
    removed: int = 0
    notes: tuple[str, ...] = ()


def list_history_summary(kind: str) -> list[HistoryDay]:
    """Additions and removals per date, newest first (two aggregate queries)."""
    entries = ListEntry.objects.filter(handling_list__kind=kind)
    days: dict[date, HistoryDay] = {}
    for row in entries.values("added_on", "note").annotate(n=Count("id")):
        day = days.setdefault(row["added_on"], HistoryDay(row["added_on"]))
        day.added += row["n"]
        note = (row["note"] or "").split("；")[0]
        if note and note not in day.notes:
            day.notes += (note,)
    for removal in (
        entries.filter(removed_on__isnull=False).values("removed_on").annotate(n=Count("id"))
    ):
        on = removal["removed_on"]
        if on is not None:  # always: filtered above
            days.setdefault(on, HistoryDay(on)).removed += removal["n"]
    return sorted(days.values(), key=lambda d: d.day, reverse=True)


def list_history_events(kind: str) -> QuerySet:
    """Every addition and removal as one row (date, change, item), newest first.

    A union of two queries, so it can be paginated in the database."""
    base = ListEntry.objects.filter(handling_list__kind=kind).order_by()
    fields = {
        "item_code": F("item__code"),
        "item_name": F("item__name"),
        "item_name_en": F("item__name_en"),
    }
    added = base.values(
        day=F("added_on"), change=Value("added", output_field=CharField()), note_text=F("note"),
        **fields,
    )  # fmt: skip
    removed = base.filter(removed_on__isnull=False).values(
        day=F("removed_on"), change=Value("removed", output_field=CharField()),
        note_text=F("note"), **fields,
    )  # fmt: skip
    # django-stubs checks the names against ListEntry's fields, not the union's value names
    return added.union(removed, all=True).order_by("-day", "change", "item_code")  # type: ignore[misc]


def list_fingerprint(kind: str) -> str:
    """Changes whenever the list or one of its items changes (one aggregate query): a cache key
    part for exports that are slow to render."""
    stats = ListEntry.objects.filter(handling_list__kind=kind).aggregate(
        entries=Count("id"),
        last=Max("id"),
        removed=Count("removed_on"),
        edited=Max("item__updated_at"),
    )
    return "-".join(str(stats[k]) for k in ("entries", "last", "removed", "edited"))


def participating_regions(kind: str = ListKind.REGIONAL) -> QuerySet[Region]:
    return Region.objects.filter(handling_lists__kind=kind).order_by("code")


# Helpers for other apps -------------------------------------------------------------------------


def qingdao_districts() -> QuerySet[Region]:
    """Qingdao's ten districts and county-level cities, by code: the one list of them, read from
    the ``Region`` table (filled from the catalogue's reference data)."""
    return Region.objects.filter(parent_id=QINGDAO_CODE).order_by("code")


def qingdao_district_codes() -> list[str]:
    return list(qingdao_districts().values_list("code", flat=True))


def is_on_list(item: ServiceItem, kind: str) -> bool:
    """Is ``item`` currently on the handling list of ``kind`` (a ``ListKind`` value)?

    Uses the ``on_<kind>`` annotation when the item came from ``item_queryset``; otherwise one
    query."""
    annotated = getattr(item, f"on_{kind}", None)
    if annotated is not None:
        return bool(annotated)
    return ListEntry.objects.filter(
        item=item, handling_list__kind=kind, removed_on__isnull=True
    ).exists()


def current_list_kinds(item: ServiceItem) -> list[str]:
    if all(hasattr(item, f"on_{kind}") for kind in LIST_KINDS):
        return [kind for kind in LIST_KINDS if getattr(item, f"on_{kind}")]
    return list(
        ListEntry.objects.filter(item=item, removed_on__isnull=True)
        .values_list("handling_list__kind", flat=True)
        .order_by("handling_list__kind")
    )


def handling_scope(item: ServiceItem) -> dict[str, Any]:
    """Where and how ``item`` can be handled. Keys:

    - ``online``, ``mobile``, ``self_service``, ``service_hall``: the channels (booleans);
    - ``lists``: the kinds of the lists the item is on now;
    - ``city_wide``, ``regional``, ``town``, ``village``: membership of each list;
    - ``scope``: ``"regional"`` (any acceptance point in the participating cities),
      ``"city_wide"`` (any acceptance point in Qingdao) or ``"local"`` (only where the competent
      department is);
    - ``regions``: the regions where it can be handled offline (``Region`` objects);
    - ``department_region``: the competent department's region;
    - ``places``: kinds of places that accept it: ``"service_hall"``, ``"town_centre"``
      (镇街便民服务中心), ``"village_station"`` (村社区便民服务站), ``"self_service_terminal"``.

    At most two queries (none for memberships when the item came from ``item_queryset``)."""
    kinds = current_list_kinds(item)
    region = item.department.region
    if "regional" in kinds:
        scope, regions = "regional", list(participating_regions())
    elif "city_wide" in kinds:
        scope = "city_wide"
        parent = region.parent if region.level != "city" else None
        regions = [parent or region]
    else:
        scope, regions = "local", [region]
    places = []
    if item.service_hall:
        places.append("service_hall")
    if "town" in kinds:
        places.append("town_centre")
    if "village" in kinds:
        places.append("village_station")
    if item.self_service:
        places.append("self_service_terminal")
    return {
        "online": item.online,
        "mobile": item.mobile,
        "self_service": item.self_service,
        "service_hall": item.service_hall,
        "lists": kinds,
        **{kind: kind in kinds for kind in LIST_KINDS},
        "scope": scope,
        "regions": regions,
        "department_region": region,
        "places": places,
    }


__all__ = [
    "CHANNELS",
    "LIST_KINDS",
    "SYNONYMS",
    "HistoryDay",
    "ItemFilters",
    "department_choices",
    "departments",
    "filter_items",
    "get_item",
    "get_list",
    "handling_lists",
    "handling_scope",
    "is_on_list",
    "item_list_entries",
    "item_queryset",
    "list_history_events",
    "list_history_summary",
    "list_items",
    "participating_regions",
    "popular_items",
    "search_items",
    "search_terms",
]

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
    BasicService,
    Department,
    DepartmentLevel,
    HandlingList,
    ListEntry,
    ListKind,
    Region,
    ServiceItem,
)
from portal.catalogue.search import selectors as search

LIST_KINDS: tuple[str, ...] = tuple(ListKind.values)
CHANNELS: tuple[str, ...] = ("online", "service_hall", "self_service", "mobile")


def _membership(kind: str) -> Exists:
    return Exists(
        ListEntry.objects.filter(
            item=OuterRef("pk"), handling_list__kind=kind, removed_on__isnull=True
        )
    )


def item_queryset(active_only: bool = True) -> QuerySet[ServiceItem]:
    """Items with their department and region joined and ``on_<list kind>`` booleans annotated."""
    qs = ServiceItem.objects.select_related("department__region__parent", "basic").annotate(
        **{f"on_{kind}": _membership(kind) for kind in LIST_KINDS}
    )
    return qs.filter(is_active=True) if active_only else qs


def search_items(
    qs: QuerySet[ServiceItem], query: str, district: str = ""
) -> QuerySet[ServiceItem]:
    """The items of ``qs`` matching ``query``, best first (ADR 0108: words, synonyms, pinyin,
    English; the name before the keywords before the materials; ``district``'s items first)."""
    return search.search_items(qs, query, district)


def search_services(
    qs: QuerySet[ServiceItem], query: str, district: str = "", page: Any = 1, per_page: int = 20
) -> search.SearchResult:
    """The services of ``qs`` matching ``query``, one row each with its districts, best first,
    and a "did you mean" (ADR 0108)."""
    return search.search_services(qs, query, district, page, per_page)


def browse_services(
    qs: QuerySet[ServiceItem], district: str = "", page: Any = 1, per_page: int = 20
) -> search.SearchResult:
    """Every service of ``qs`` once (its implementations in every district on its row), the
    most used first: the browse page and the handling lists (ADR 0121)."""
    return search.browse_services(qs, district, page, per_page)


def corrected_query(query: str) -> str:
    """``query`` with its unknown words corrected (社宝 → 社保), or "" (ADR 0108)."""
    return search.corrected_query(query)


def home_district(user: Any) -> str:
    """A signed-in citizen's Qingdao district (region code), or "" (ADR 0108)."""
    return search.home_district(user)


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
    district: str = ""  # region code: the applicant's district, whose items come first

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
        return search_items(qs, filters.q, filters.district)
    return qs.order_by("code")


def popular_items(limit: int = 8) -> QuerySet[ServiceItem]:
    return item_queryset().order_by("-popularity", "code")[:limit]


def get_item(code: str) -> ServiceItem:
    """One item with its basic service and materials; raises ServiceItem.DoesNotExist."""
    return (
        item_queryset(active_only=False)
        .select_related("basic")
        .prefetch_related("materials")
        .get(code=code)
    )


def get_item_by_former_code(code: str) -> ServiceItem | None:
    """The item that had ``code`` before the catalogue took national codes (ADR 0121), if any:
    old addresses, bookmarks and QR codes redirect to it."""
    return ServiceItem.objects.filter(former_code=code).only("code").first() if code else None


# The basic catalogue ----------------------------------------------------------------------------

_LEVEL_ORDER = Case(
    *(When(department__level=level, then=Value(n)) for n, level in
      enumerate(DepartmentLevel.values)),
    default=Value(len(DepartmentLevel.values)),
    output_field=IntegerField(),
)  # fmt: skip


def basic_services() -> QuerySet[BasicService]:
    """The basic catalogue by code, each with its count of active implementations."""
    return BasicService.objects.annotate(
        implementation_count=Count("implementations", filter=Q(implementations__is_active=True))
    ).order_by("basic_code")


def get_basic_service(basic_code: str) -> BasicService:
    """One basic service; raises BasicService.DoesNotExist."""
    return BasicService.objects.get(basic_code=basic_code)


def implementations(basic: BasicService | int) -> QuerySet[ServiceItem]:
    """The active implementations of a basic service, with department and region, by region
    (the city first, then the districts by code) and level (city before district, town,
    village)."""
    return (
        item_queryset()
        .filter(basic=basic)
        .annotate(level_order=_LEVEL_ORDER)
        .order_by("department__region_id", "level_order", "code")
    )


def implementation_for_district(
    items: list[ServiceItem], district: str
) -> tuple[ServiceItem | None, bool]:
    """Of a service's implementations (as ``implementations`` orders them), the one that serves
    ``district``: the district's own, else the city's (it serves every district); and whether it
    is the district's own. (None, False) when neither exists. No query."""
    for item in items:
        if district and item.department.region_id == district:
            return item, True
    for item in items:
        if item.department.region_id == QINGDAO_CODE:
            return item, False
    return None, False


def other_implementations(item: ServiceItem) -> list[ServiceItem]:
    """The same basic service as other departments implement it (one query)."""
    return list(implementations(item.basic_id).exclude(pk=item.pk))


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
    "HistoryDay",
    "ItemFilters",
    "basic_services",
    "browse_services",
    "corrected_query",
    "department_choices",
    "departments",
    "filter_items",
    "get_basic_service",
    "get_item",
    "get_item_by_former_code",
    "get_list",
    "handling_lists",
    "handling_scope",
    "home_district",
    "implementation_for_district",
    "implementations",
    "is_on_list",
    "item_list_entries",
    "item_queryset",
    "list_history_events",
    "list_history_summary",
    "list_items",
    "other_implementations",
    "participating_regions",
    "popular_items",
    "search_items",
    "search_services",
]

"""Queries of the search (ADR 0108): items matching a query, ranked; the same services of several
districts as one row; and a "did you mean" when nothing matches.

A search runs a fixed number of queries whatever the catalogue's size: the count of services, one
page of them, their regions, the items shown (and, when nothing matched and a correction exists,
those again for the correction, plus once per data version the vocabulary)."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, Max, Min, QuerySet, Value, When

from portal import pagecache
from portal.catalogue.models import QINGDAO_CODE, SearchSynonym, ServiceItem
from portal.catalogue.search import lexicon
from portal.catalogue.search.query import Synonyms, Term, match, parse, score

_lock = threading.Lock()
_state: dict[str, Any] = {"version": None, "synonyms": None, "vocabulary": None}


def _current(name: str, build) -> Any:
    """``name`` built for the current public data version (once per version and process)."""
    version = pagecache.data_version()
    with _lock:
        if _state["version"] != version:
            _state.update(version=version, synonyms=None, vocabulary=None)
        value = _state[name]
    if value is None:
        value = build()
        with _lock:
            if _state["version"] == version:
                _state[name] = value
    return value


def synonyms() -> Synonyms:
    """The staff's active synonyms (one query per data version and process)."""
    return _current(
        "synonyms",
        lambda: Synonyms.from_rows(
            SearchSynonym.objects.filter(is_active=True).values_list(
                "phrase", "expansions", "domain"
            )
        ),
    )


# Did you mean ----------------------------------------------------------------------------------


@dataclass
class Vocabulary:
    """The words of the catalogue (names, keywords, synonyms' phrases), how many items use each,
    and the Chinese words by their pinyin: what a typo is corrected to."""

    counts: Counter = field(default_factory=Counter)
    by_pinyin: dict[str, list[str]] = field(default_factory=dict)

    def known(self, word: str) -> bool:
        return word in self.counts

    def correct(self, word: str) -> str:
        """The most used word that sounds the same (社宝 → 社保), else the most used one a single
        letter or character away (营叶执照 → 营业执照, marrige → marriage); "" if none."""
        if lexicon.is_han(word):
            same_sound = [w for w in self.by_pinyin.get(lexicon.pinyin(word)[0], []) if w != word]
            if same_sound:
                return same_sound[0]
        candidates = [
            w for w in self.counts if w != word and _one_edit(w, word) and lexicon.is_han(w) ==
            lexicon.is_han(word)
        ]  # fmt: skip
        return max(candidates, key=lambda w: (self.counts[w], w), default="")


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one substitution, insertion or deletion (not for two letters)."""
    if min(len(a), len(b)) < 2 or abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def build_vocabulary() -> Vocabulary:
    counts: Counter = Counter()
    rows = (
        ServiceItem.objects.filter(is_active=True)
        .order_by()
        .values_list("name", "name_en", "keywords")
        .annotate(n=Count("pk"))
    )
    for name, name_en, keywords, n in rows:
        words: set[str] = set()
        for text in (name, keywords):
            for han, run in lexicon.chunks(text):
                if han:
                    words.update(w for w in lexicon.cut_for_search(run) if len(w) >= 2)
                    if len(run) >= 2:
                        words.add(run)
                else:
                    words.update(lexicon.latin_tokens(run))
        for _han, run in lexicon.chunks(name_en):
            words.update(lexicon.latin_tokens(run))
        for word in words:
            counts[word] += n
    for phrase in synonyms().expansions:
        counts[phrase] += 1000  # staff's phrases are what citizens type
    by_pinyin: dict[str, list[str]] = {}
    for word in sorted(counts, key=lambda w: (-counts[w], w)):
        if lexicon.is_han(word):
            full, initials = lexicon.pinyin(word)
            by_pinyin.setdefault(full, []).append(word)
            counts[full] += 0  # the pinyin of a known word is known too
            counts[initials] += 0
    return Vocabulary(counts, by_pinyin)


def vocabulary() -> Vocabulary:
    return _current("vocabulary", build_vocabulary)


def suggestion(query: str, terms: list[Term]) -> str:
    """A known word that sounds like the whole query (营叶执照 → 营业执照), else the query with each
    unknown word replaced by its correction; "" when nothing changes."""
    words = vocabulary()
    compact = "".join(lexicon.normalise(query).split())
    if lexicon.is_han(compact) and len(compact) > 2 and not words.known(compact):
        same_sound = words.by_pinyin.get(lexicon.pinyin(compact)[0], [])
        if same_sound:
            return same_sound[0]
    out, changed = [], False
    for term in terms:
        fixed = "" if term.synonym or words.known(term.text) else words.correct(term.text)
        out.append(fixed or term.text)
        changed = changed or bool(fixed)
    return " ".join(out) if changed else ""


def corrected_query(query: str) -> str:
    """``query`` with its unknown words corrected, or "" when there is nothing to correct."""
    query = (query or "").strip()[:100]
    return suggestion(query, parse(query, synonyms())) if query else ""


# Search ----------------------------------------------------------------------------------------


def _own_district(district: str) -> Any:
    if not district:
        return Value(0, output_field=IntegerField())
    return Case(
        When(department__region_id=district, then=Value(2)),
        When(department__region_id=QINGDAO_CODE, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def search_items(
    qs: QuerySet[ServiceItem], query: str, district: str = ""
) -> QuerySet[ServiceItem]:
    """The items of ``qs`` that match ``query``, best first: by score, then the applicant's own
    district (then the city's), then popularity."""
    query = (query or "").strip()
    if not query:
        return qs
    terms = parse(query, synonyms())
    compact = "".join(lexicon.normalise(query).split())
    return (
        qs.filter(match(terms))
        .annotate(search_score=score(terms, compact), own_district=_own_district(district))
        .order_by("-search_score", "-own_district", "-popularity", "code")
    )


@dataclass
class Place:
    """Where a service of a group is handled: a region (district, or the city) and its item."""

    region_code: str
    name: str  # the region's
    name_en: str
    item_code: str
    promised_limit_days: int


@dataclass
class ServiceGroup:
    """One service as the search shows it: the item to open first (the applicant's district's,
    else the city's, else the best match) and the regions that handle the same service."""

    key: str  # the basic service's code
    item: ServiceItem
    places: list[Place]

    @property
    def others(self) -> list[Place]:
        return [p for p in self.places if p.item_code != self.item.code]

    @property
    def promised_range(self) -> tuple[int, int]:
        days = [p.promised_limit_days for p in self.places] or [self.item.promised_limit_days]
        return min(days), max(days)


@dataclass
class SearchResult:
    query: str
    page: Page
    suggestion: str = ""  # "did you mean"
    corrected: bool = False  # the page shows the suggestion's results

    @property
    def count(self) -> int:
        return self.page.paginator.count


# Groups on the implementations' own basic_id column: the two queries that read every matching
# row join no other table for it (the basic code is read only for the page's items).
KEY = "basic_id"


def _group_page(
    qs: QuerySet[ServiceItem], query: str, district: str, page: Any, per_page: int
) -> Page:
    """One page of services (basic services, ADR 0121): the count of services, the page's
    services in order, the regions of each (one row per service and region, whatever the number
    of items) and the item shown for each. Four queries. With no query, every service of ``qs``,
    the most used first (the catalogue's browse page)."""
    if query:
        terms = parse(query, synonyms())
        compact = "".join(lexicon.normalise(query).split())
        matched = qs.filter(match(terms))
        ranked = matched.annotate(
            search_score=score(terms, compact), own_district=_own_district(district)
        )
    else:
        matched = qs
        ranked = matched.annotate(
            search_score=Value(0, output_field=IntegerField()),
            own_district=_own_district(district),
        )
    groups = (
        ranked.order_by()
        .values(KEY)
        .annotate(best=Max("search_score"), own=Max("own_district"), popular=Max("popularity"))
        .order_by("-best", "-own", "-popular", KEY)
    )
    result = Paginator(groups, per_page).get_page(page)
    keys = [row[KEY] for row in result.object_list]
    if not keys:
        result.object_list = []
        return result
    places: dict[int, list[Place]] = {key: [] for key in keys}
    for row in (
        matched.filter(basic_id__in=keys)
        .order_by()
        .values(
            KEY,
            "department__region_id",
            "department__region__name",
            "department__region__name_en",
        )
        .annotate(code=Min("code"), days=Min("promised_limit_days"))
        .order_by(KEY, "department__region_id")
    ):
        places[row[KEY]].append(
            Place(
                row["department__region_id"],
                row["department__region__name"],
                row["department__region__name_en"],
                row["code"],
                row["days"],
            )
        )
    shown = {key: _shown(places[key], district) for key in keys}
    items = {item.code: item for item in qs.select_related("basic").filter(code__in=shown.values())}
    services = [
        ServiceGroup(items[shown[key]].basic.basic_code, items[shown[key]], places[key])
        for key in keys
        if shown[key] in items
    ]
    result.object_list = services  # the page's rows: its services
    return result


def _shown(places: list[Place], district: str) -> str:
    """The item a group opens with: the applicant's district's, else the city's, else the
    first."""
    for wanted in (district, QINGDAO_CODE):
        for place in places:
            if wanted and place.region_code == wanted:
                return place.item_code
    return places[0].item_code if places else ""


def search_services(
    qs: QuerySet[ServiceItem],
    query: str,
    district: str = "",
    page: Any = 1,
    per_page: int = 20,
) -> SearchResult:
    """The services of ``qs`` matching ``query``, one row per service (its items in every
    district), best first; when nothing matches and a correction of the query's words does, the
    correction's results with ``corrected`` set."""
    query = (query or "").strip()[:100]
    found = _group_page(qs, query, district, page, per_page)
    if found.paginator.count:
        return SearchResult(query, found)
    better = suggestion(query, parse(query, synonyms()))
    if better:
        corrected = _group_page(qs, better, district, page, per_page)
        if corrected.paginator.count:
            return SearchResult(query, corrected, better, corrected=True)
    return SearchResult(query, found, better)


def browse_services(
    qs: QuerySet[ServiceItem], district: str = "", page: Any = 1, per_page: int = 20
) -> SearchResult:
    """Every service of ``qs`` once, with its places, the most used first (no search words)."""
    return SearchResult("", _group_page(qs, "", district, page, per_page))


def home_district(user) -> str:
    """The Qingdao district of a signed-in citizen, from the region part of their identity number
    (the first six digits), or ""."""
    from portal.catalogue.selectors import qingdao_district_codes

    resident_id = getattr(user, "resident_id", "") or ""
    code = resident_id[:6]
    if len(code) == 6 and code.isdigit() and code.startswith(QINGDAO_CODE[:4]):
        return code if code in qingdao_district_codes() else ""
    return ""

"""Query parameters of the catalogue's API lists (ADR 0081). Every parameter refuses an empty
value (400), except ``q``; the search is the selector's."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from rest_framework import serializers

from portal.api.filters import NO_NUL, BooleanWordFilter, PortalFilterSet
from portal.catalogue import selectors
from portal.catalogue.forms import district_rows
from portal.catalogue.models import ApplicantKind, DepartmentLevel, Domain, ItemKind

#: DRF's own words (and translations) for an empty value, as the API has always said it.
BLANK = serializers.CharField.default_error_messages["blank"]


def district_codes() -> list[tuple[str, str]]:
    """Qingdao's districts and county-level cities (no query: the reference data file)."""
    return [(code, code) for code, _name, _name_en in district_rows()]


def _on_list(kind: str, help_text: str) -> BooleanWordFilter:
    return BooleanWordFilter(field_name=f"on_{kind}", help_text=help_text)


class ItemFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(
        method="search", max_length=100, validators=[NO_NUL],
        help_text="Words, in Chinese (segmented: 营业执照变更), pinyin or initials (shebao, sb) "
        "or English; everyday phrases find the services they mean (生孩子). Best first: the "
        "name before the keywords before the materials (ADR 0108).",
    )  # fmt: skip
    domain = django_filters.ChoiceFilter(choices=Domain.choices)
    department = django_filters.CharFilter(
        field_name="department__code", max_length=32, validators=[NO_NUL],
        help_text="Department code.",
    )  # fmt: skip
    level = django_filters.ChoiceFilter(
        field_name="department__level", choices=DepartmentLevel.choices,
        help_text="Department level.",
    )  # fmt: skip
    kind = django_filters.ChoiceFilter(choices=ItemKind.choices)
    applicant_kind = django_filters.ChoiceFilter(choices=ApplicantKind.choices)
    channel = django_filters.ChoiceFilter(
        choices=[(c, c) for c in selectors.CHANNELS], method="by_channel"
    )
    city_wide = _on_list("city_wide", "On the city-wide list (全市通办) now.")
    regional = _on_list("regional", "On the regional list (区域通办) now.")
    town = _on_list("town", "On the town/street list now.")
    village = _on_list("village", "On the village/community list now.")
    proactive = BooleanWordFilter(help_text="Proactive approval (无感审批).")
    district = django_filters.ChoiceFilter(
        choices=district_codes, method="unchanged",
        help_text="The applicant's district (region code): with `q`, its items come first.",
    )  # fmt: skip

    refuse_blank = (
        "domain", "department", "level", "kind", "applicant_kind", "channel", "city_wide",
        "regional", "town", "village", "proactive", "district",
    )  # fmt: skip
    blank_message = BLANK

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return selectors.search_items(queryset, value, self.value("district", ""))

    def by_channel(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{value: True})


class DepartmentFilterSet(PortalFilterSet):
    level = django_filters.ChoiceFilter(choices=DepartmentLevel.choices)
    region = django_filters.CharFilter(
        field_name="region_id", max_length=6, validators=[NO_NUL], help_text="Region code."
    )

    refuse_blank = ("level", "region")
    blank_message = BLANK

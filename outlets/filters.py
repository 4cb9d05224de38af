"""Query parameters of the outlet finder's API list (ADR 0081). No parameter may be given
empty; the item, the distance and the radius are the selectors'."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from portal.api.filters import BooleanWordFilter, PortalFilterSet
from portal.catalogue.models import ServiceItem

from . import selectors
from .models import Operator, OutletKind

LATITUDE = r"-?(?:90(?:\.0+)?|[1-8]?\d(?:\.\d+)?)"
LONGITUDE = r"-?(?:180(?:\.0+)?|(?:1[0-7]\d|[1-9]?\d)(?:\.\d+)?)"
NEAR_PATTERN = rf"^{LATITUDE},{LONGITUDE}$"
NEAR_FORMAT = _("Give near as LAT,LNG in decimal degrees, e.g. 36.07,120.38.")


class ItemCodeField(forms.CharField):
    """A catalogue item code, answered with the item. An unknown code is the caller's mistake
    (a typo would otherwise look like "no outlet handles this item"): 400 with the code named."""

    default_validators = [RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        item = ServiceItem.objects.filter(code=code).first()
        if item is None:
            raise forms.ValidationError(
                _("No catalogue item has the code %(code)s.") % {"code": code}, code="unknown"
            )
        return item


class PointField(forms.RegexField):
    """LAT,LNG in decimal degrees, answered as a (lat, lng) pair of floats."""

    def __init__(self, **kwargs):
        super().__init__(NEAR_PATTERN, error_messages={"invalid": NEAR_FORMAT}, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        lat, lng = text.split(",")  # NEAR_PATTERN refused anything but two numbers in range
        return float(lat), float(lng)


class ItemFilter(django_filters.CharFilter):
    field_class = ItemCodeField


class PointFilter(django_filters.CharFilter):
    field_class = PointField


class OutletFilterSet(PortalFilterSet):
    item = ItemFilter(
        method="offering", max_length=40,
        help_text="Catalogue item code: outlets whose list in effect has it",
    )  # fmt: skip
    district = django_filters.CharFilter(
        field_name="district_id", validators=[RegexValidator(r"^\d{6}$")],
        help_text="GB/T 2260 code of the district",
    )  # fmt: skip
    kind = django_filters.ChoiceFilter(choices=OutletKind.choices)
    operator = django_filters.ChoiceFilter(choices=Operator.choices)
    open_now = BooleanWordFilter(
        true_values={"true", "1"}, false_values={"false", "0"},
        help_text="Only outlets open (or closed) now",
    )  # fmt: skip
    near = PointFilter(
        method="nearest_first", max_length=60,
        help_text="LAT,LNG: order by great-circle distance and add distance_km",
    )  # fmt: skip
    radius_km = django_filters.NumberFilter(
        method="within", min_value=0.01, max_value=1000,
        help_text="With near: only outlets within this radius (ignored without near)",
    )  # fmt: skip

    refuse_blank = ("item", "district", "kind", "operator", "open_now", "near", "radius_km")

    # (``value``'s annotation is what drf-spectacular documents: the item comes as its code.)
    def offering(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return selectors.offering(queryset, value)  # the ServiceItem, from ItemCodeField

    def nearest_first(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        lat, lng = value  # (lat, lng), from PointField
        return selectors.nearest_first(queryset, lat, lng)

    def within(self, queryset: QuerySet, name: str, value: float) -> QuerySet:
        point = self.value("near")
        if point is None:
            return queryset  # ignored without near
        return selectors.within(queryset, *point, float(value))

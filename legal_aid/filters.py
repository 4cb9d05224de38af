"""Query parameters of the legal-aid API (ADR 0081): the bodies' list (a FilterSet), and the
routing and statistics questions (query serializers: they answer one object, not a list). An
empty value means "not given", as it always has; an unknown one answers 400."""

from __future__ import annotations

import django_filters
from rest_framework import serializers

from portal.api.filters import PortalFilterSet
from portal.catalogue.models import Region

from .models import Body, BodyKind, MatterType


class BodyFilterSet(PortalFilterSet):
    kind = django_filters.ChoiceFilter(choices=BodyKind.choices)


class RoutingQuerySerializer(serializers.Serializer):
    """``?body=CODE`` (litigation) or ``?place=REGION_CODE``; the matter type follows from the
    body unless given."""

    body = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, max_length=32,
        help_text="Body code (litigation)",
    )  # fmt: skip
    place = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, max_length=6,
        help_text="GB/T 2260 code (non-litigation)",
    )  # fmt: skip
    matter_type = serializers.ChoiceField(
        choices=MatterType.choices, required=False, allow_blank=True
    )

    def validate_body(self, code: str) -> Body | None:
        if not code:
            return None
        body = Body.objects.select_related("region").filter(code=code).first()
        if body is None:
            raise serializers.ValidationError("There is no body with this code.")
        return body

    def validate_place(self, code: str) -> Region | None:
        if not code:
            return None
        place = Region.objects.filter(code=code).first()
        if place is None:
            raise serializers.ValidationError("There is no region with this code.")
        return place

    def validate(self, attrs: dict) -> dict:
        body, place = attrs.get("body"), attrs.get("place")
        if body is None and place is None:
            raise serializers.ValidationError("Give ?body=CODE (litigation) or ?place=REGION_CODE.")
        if not attrs.get("matter_type"):
            attrs["matter_type"] = (
                MatterType.LITIGATION
                if body is not None and body.is_litigation_body
                else MatterType.NON_LITIGATION
            )
        return attrs


class StatisticsQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def to_internal_value(self, data):
        # an empty date is no date, as it has always been
        present = {name: data[name] for name in self.fields if data.get(name)}
        return super().to_internal_value(present)

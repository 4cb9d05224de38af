"""Read-only API of the catalogue under /api/v1/: items (with search and filters), regions,
departments and the handling lists. Thin: the queries are ``selectors``'.

Query parameters are validated: an unknown domain or a boolean that is not a boolean
(``city_wide=maybe``) answers 400 with problem details rather than being ignored. Anonymous
reads are throttled (``AnonRateThrottle``, rate ``anon`` in settings). There are no write
endpoints: the catalogue is maintained in the admin (and its import)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers

from portal.access import visible
from portal.api.problems import problem_responses
from portal.catalogue import selectors
from portal.catalogue.filters import DepartmentFilterSet, ItemFilterSet
from portal.catalogue.models import (
    Department,
    HandlingList,
    ListEntry,
    ListKind,
    Material,
    Region,
    ServiceItem,
)
from portal.pagecache import CachedPublicListMixin

ERRORS = problem_responses(
    404, 429, s400="Invalid query parameter.", s404="Not found (or no such page)."
)
NOT_FOUND = problem_responses(404, 429, s404="Not found (or no such page).")
TAGS = ["catalogue"]


# Serializers -----------------------------------------------------------------------------------


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent_id", allow_null=True, read_only=True)

    class Meta:
        model = Region
        fields = [
            "code", "name", "name_en", "level", "parent", "latitude", "longitude",
            "jiaodong_member",
        ]  # fmt: skip


class DepartmentBriefSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)

    class Meta:
        model = Department
        fields = ["code", "name", "name_en", "level", "region"]


class DepartmentSerializer(DepartmentBriefSerializer):
    parent = serializers.SerializerMethodField()

    class Meta(DepartmentBriefSerializer.Meta):
        fields = [*DepartmentBriefSerializer.Meta.fields, "parent", "phone", "address"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_parent(self, obj: Department) -> str | None:
        return obj.parent.code if obj.parent_id else None


class MaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = Material
        fields = ["name", "required", "source", "commitment_text", "note"]


class MembershipSerializer(serializers.ModelSerializer):
    list = serializers.CharField(source="handling_list.kind", read_only=True)
    current = serializers.SerializerMethodField()

    class Meta:
        model = ListEntry
        fields = ["list", "added_on", "removed_on", "current", "note"]

    def get_current(self, obj: ListEntry) -> bool:
        return obj.removed_on is None


class ItemSerializer(serializers.ModelSerializer):
    department = DepartmentBriefSerializer(read_only=True)
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=list(selectors.CHANNELS)), read_only=True
    )
    lists = serializers.SerializerMethodField(help_text="Kinds of the lists the item is on now.")
    url = serializers.SerializerMethodField(help_text="The item's page.")

    class Meta:
        model = ServiceItem
        fields = [
            "code", "name", "name_en", "domain", "kind", "applicant_kind", "department",
            "legal_limit_days", "promised_limit_days", "fee", "channels", "visits_required",
            "smart_approval", "missing_materials_allowed", "commitment", "proactive",
            "self_service", "lists", "url",
        ]  # fmt: skip

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(ListKind.choices)))
    def get_lists(self, obj: ServiceItem) -> list[str]:
        return selectors.current_list_kinds(obj)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj: ServiceItem) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class ScopeSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=["regional", "city_wide", "local"])
    regions = serializers.ListField(child=serializers.CharField(), help_text="Region codes.")
    places = serializers.ListField(
        child=serializers.ChoiceField(
            choices=["service_hall", "town_centre", "village_station", "self_service_terminal"]
        )
    )


class ItemDetailSerializer(ItemSerializer):
    materials = MaterialSerializer(many=True, read_only=True)
    memberships = serializers.SerializerMethodField()
    handling = serializers.SerializerMethodField()

    class Meta(ItemSerializer.Meta):
        fields = [
            *ItemSerializer.Meta.fields, "description", "keywords", "fee_note", "online",
            "service_hall", "mobile", "is_active", "materials", "memberships", "handling",
        ]  # fmt: skip

    @extend_schema_field(MembershipSerializer(many=True))
    def get_memberships(self, obj: ServiceItem) -> list[dict[str, Any]]:
        return MembershipSerializer(selectors.item_list_entries(obj), many=True).data

    @extend_schema_field(ScopeSerializer)
    def get_handling(self, obj: ServiceItem) -> dict[str, Any]:
        scope = selectors.handling_scope(obj)
        return {
            "scope": scope["scope"],
            "regions": [r.code for r in scope["regions"]],
            "places": scope["places"],
        }


class HandlingListSerializer(serializers.ModelSerializer):
    count = serializers.IntegerField(source="current_count", read_only=True)
    regions = serializers.SerializerMethodField(help_text="Participating regions (codes).")

    class Meta:
        model = HandlingList
        fields = ["kind", "name", "name_en", "description", "count", "regions"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_regions(self, obj: HandlingList) -> list[str]:
        return [r.code for r in obj.regions.all()]


class HistoryDaySerializer(serializers.Serializer):
    date = serializers.DateField(source="day")
    added = serializers.IntegerField()
    removed = serializers.IntegerField()
    notes = serializers.ListField(child=serializers.CharField())


class HandlingListDetailSerializer(HandlingListSerializer):
    history = serializers.SerializerMethodField()

    class Meta(HandlingListSerializer.Meta):
        fields = [*HandlingListSerializer.Meta.fields, "history"]

    @extend_schema_field(HistoryDaySerializer(many=True))
    def get_history(self, obj: HandlingList) -> list[dict[str, Any]]:
        return HistoryDaySerializer(selectors.list_history_summary(obj.kind), many=True).data


# Views -----------------------------------------------------------------------------------------


@extend_schema(
    tags=TAGS,
    summary="Search and filter service items",
    responses={200: ItemSerializer(many=True), **ERRORS},
)
class ItemListView(CachedPublicListMixin, generics.ListAPIView):
    serializer_class = ItemSerializer
    filterset_class = ItemFilterSet

    def get_queryset(self):
        items = selectors.filter_items(selectors.ItemFilters())  # by code; q orders by relevance
        return visible(self.request.user, items)  # the published catalogue: every item


@extend_schema(
    tags=TAGS,
    summary="One service item, with its materials, list memberships and where to apply",
    responses={200: ItemDetailSerializer, **NOT_FOUND},
)
class ItemDetailView(generics.RetrieveAPIView):
    serializer_class = ItemDetailSerializer
    lookup_field = "code"
    filter_backends: list = []

    def get_object(self):
        try:
            return selectors.get_item(self.kwargs["code"])
        except ServiceItem.DoesNotExist as exc:
            raise Http404 from exc


@extend_schema(
    tags=TAGS,
    summary="Regions (GB/T 2260)",
    responses={200: RegionSerializer(many=True), **NOT_FOUND},
)
class RegionListView(generics.ListAPIView):
    serializer_class = RegionSerializer
    queryset = Region.objects.order_by("code")
    filter_backends: list = []


@extend_schema(
    tags=TAGS,
    summary="Departments",
    responses={200: DepartmentSerializer(many=True), **ERRORS},
)
class DepartmentListView(generics.ListAPIView):
    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilterSet

    def get_queryset(self):
        return selectors.departments()


@extend_schema(
    tags=TAGS,
    summary="The handling lists with their current counts",
    responses={200: HandlingListSerializer(many=True), **NOT_FOUND},
)
class HandlingListListView(generics.ListAPIView):
    serializer_class = HandlingListSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.handling_lists()


@extend_schema(
    tags=TAGS,
    summary="One handling list with its dated history of additions and removals",
    responses={200: HandlingListDetailSerializer, **NOT_FOUND},
)
class HandlingListDetailView(generics.RetrieveAPIView):
    serializer_class = HandlingListDetailSerializer
    lookup_field = "kind"
    filter_backends: list = []

    def get_object(self):
        handling_list = selectors.get_list(self.kwargs["kind"])
        if handling_list is None:
            raise Http404
        return handling_list

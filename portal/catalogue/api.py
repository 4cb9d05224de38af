"""Read-only API of the catalogue under /api/v1/: items (implementations, with search and
filters), the basic catalogue (``services``, ADR 0121), regions, departments and the handling
lists. Thin: the queries are ``selectors``'.

Query parameters are validated: an unknown domain or a boolean that is not a boolean
(``city_wide=maybe``) answers 400 with problem details rather than being ignored. Anonymous
reads are throttled (``AnonRateThrottle``, rate ``anon`` in settings). There are no write
endpoints: the catalogue is maintained in the admin (and its import)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from portal.access import visible
from portal.api.problems import problem_responses
from portal.catalogue import selectors
from portal.catalogue.filters import DepartmentFilterSet, ItemFilterSet
from portal.catalogue.models import (
    BasicService,
    Department,
    DepartmentLevel,
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
        fields = ["code", "credit_code", "name", "name_en", "level", "region"]


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
        fields = ["name", "name_en", "required", "source", "commitment_text", "note", "note_en"]


class MembershipSerializer(serializers.ModelSerializer):
    list = serializers.CharField(source="handling_list.kind", read_only=True)
    current = serializers.SerializerMethodField()

    class Meta:
        model = ListEntry
        fields = ["list", "added_on", "removed_on", "current", "note"]

    def get_current(self, obj: ListEntry) -> bool:
        return obj.removed_on is None


def _absolute(serializer: serializers.Serializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request else path


class ItemSerializer(serializers.ModelSerializer):
    code = serializers.CharField(
        read_only=True,
        help_text="Implementation code: the department's credit code and the basic code.",
    )
    basic_code = serializers.CharField(
        source="basic.basic_code", read_only=True, help_text="The basic service's code."
    )
    service = serializers.SerializerMethodField(
        help_text="The basic service in this API (every district's implementation)."
    )
    department = DepartmentBriefSerializer(read_only=True)
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=list(selectors.CHANNELS)), read_only=True
    )
    lists = serializers.SerializerMethodField(help_text="Kinds of the lists the item is on now.")
    url = serializers.SerializerMethodField(help_text="The item's page.")

    class Meta:
        model = ServiceItem
        fields = [
            "code", "basic_code", "service", "name", "name_en", "domain", "kind",
            "applicant_kind", "department", "legal_limit_days", "promised_limit_days", "fee",
            "channels", "visits_required", "smart_approval", "missing_materials_allowed",
            "commitment", "proactive", "self_service", "lists", "url",
        ]  # fmt: skip

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(ListKind.choices)))
    def get_lists(self, obj: ServiceItem) -> list[str]:
        return selectors.current_list_kinds(obj)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj: ServiceItem) -> str:
        return _absolute(self, obj.get_absolute_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_service(self, obj: ServiceItem) -> str:
        return _absolute(self, reverse("api-service", args=[obj.basic.basic_code]))


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
            *ItemSerializer.Meta.fields, "former_code", "description", "keywords", "fee_note",
            "fee_note_en", "online",
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


class ImplementationSerializer(serializers.ModelSerializer):
    """An implementation as the basic service lists it."""

    department = DepartmentBriefSerializer(read_only=True)
    url = serializers.SerializerMethodField(help_text="The implementation in this API.")

    class Meta:
        model = ServiceItem
        fields = ["code", "department", "promised_limit_days", "fee", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj: ServiceItem) -> str:
        return _absolute(self, reverse("api-item", args=[obj.code]))


class BasicServiceSerializer(serializers.ModelSerializer):
    competent_levels = serializers.ListField(
        source="level_values",
        child=serializers.ChoiceField(choices=DepartmentLevel.choices),
        read_only=True,
        help_text="The levels of government that may implement the service.",
    )
    implementation_count = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField(help_text="The service's page.")

    class Meta:
        model = BasicService
        fields = [
            "basic_code", "name", "name_en", "kind", "domain", "applicant_kind", "legal_basis",
            "legal_basis_en", "competent_levels", "implementation_count", "url",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj: BasicService) -> str:
        return _absolute(self, obj.get_absolute_url())


class BasicServiceDetailSerializer(BasicServiceSerializer):
    implementations = ImplementationSerializer(many=True, read_only=True, source="active_items")

    class Meta(BasicServiceSerializer.Meta):
        fields = [*BasicServiceSerializer.Meta.fields, "implementations"]


class HandlingListSerializer(serializers.ModelSerializer):
    count = serializers.IntegerField(source="current_count", read_only=True)
    regions = serializers.SerializerMethodField(help_text="Participating regions (codes).")

    class Meta:
        model = HandlingList
        fields = ["kind", "name", "name_en", "description", "description_en", "count", "regions"]

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


class PlaceSerializer(serializers.Serializer):
    region = serializers.CharField(source="region_code", help_text="Region code (GB/T 2260).")
    name = serializers.CharField(help_text="The region's name.")
    name_en = serializers.CharField()
    item = serializers.CharField(source="item_code", help_text="The item's code there.")
    promised_limit_days = serializers.IntegerField()


class ServiceGroupSerializer(serializers.Serializer):
    item = ItemSerializer(
        help_text="The item to open first: the applicant's district's, else the city's."
    )
    places = PlaceSerializer(
        many=True, help_text="Every region that handles the same service, with its item."
    )


class ServiceSearchSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Services found (each once, whatever its places).")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    query = serializers.CharField()
    suggestion = serializers.CharField(
        help_text="“Did you mean”: the query with its unknown words corrected, or empty."
    )
    corrected = serializers.BooleanField(
        help_text="Nothing matched the query: the results are the suggestion's."
    )
    results = ServiceGroupSerializer(many=True)


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


class ServiceSearchFilterSet(ItemFilterSet):
    """The items' filters; ``q`` is required and the search is the view's."""

    def search(self, queryset, name, value):
        return queryset


@extend_schema(
    tags=TAGS,
    summary="Search services: one result per service with the districts that handle it",
    parameters=[
        OpenApiParameter("page", int, description="Page number (from 1).", required=False),
        OpenApiParameter(
            "page_size", int, description="Results per page (1 to 100).", required=False
        ),
    ],
    responses={200: ServiceSearchSerializer, **ERRORS},
)
class ServiceSearchView(generics.GenericAPIView):
    """Chinese (segmented, with everyday phrases and synonyms), pinyin, initials and English;
    the same service in several districts is one result with its places, the applicant's
    ``district`` first; when nothing matches, the results of the corrected query (ADR 0108)."""

    serializer_class = ServiceSearchSerializer
    filterset_class = ServiceSearchFilterSet

    def get_queryset(self):
        return visible(self.request.user, selectors.filter_items(selectors.ItemFilters()))

    def get(self, request, *args, **kwargs):
        if not (request.query_params.get("q") or "").strip():
            raise ValidationError({"q": ["Give the words to search for."]})
        items = self.filter_queryset(self.get_queryset())
        size = self.paginator.get_page_size(request)
        raw_page = request.query_params.get("page", "1")
        if not raw_page.isdigit() or int(raw_page) < 1:
            raise ValidationError({"page": ["Give a whole number from 1."]})
        result = selectors.search_services(
            items,
            request.query_params["q"],
            district=request.query_params.get("district", ""),
            page=int(raw_page),
            per_page=size,
        )
        page = result.page
        url = request.build_absolute_uri()
        data = {
            "count": result.count,
            "next": replace_query_param(url, "page", page.next_page_number())
            if page.has_next()
            else None,
            "previous": replace_query_param(url, "page", page.previous_page_number())
            if page.has_previous()
            else None,
            "query": result.query,
            "suggestion": result.suggestion,
            "corrected": result.corrected,
            "results": [{"item": g.item, "places": g.places} for g in page.object_list],
        }
        return Response(ServiceSearchSerializer(data, context={"request": request}).data)


@extend_schema(
    tags=TAGS,
    summary="One service item, with its materials, list memberships and where to apply",
    responses={
        200: ItemDetailSerializer,
        301: OpenApiResponse(
            description="A former code (before the national codes): the item's new address."
        ),
        **NOT_FOUND,
    },
)
class ItemDetailView(generics.RetrieveAPIView):
    serializer_class = ItemDetailSerializer
    lookup_field = "code"
    filter_backends: list = []

    def retrieve(self, request, *args, **kwargs):
        try:
            item = selectors.get_item(self.kwargs["code"])
        except ServiceItem.DoesNotExist as exc:
            moved = selectors.get_item_by_former_code(self.kwargs["code"])
            if moved is None:
                raise Http404 from exc
            url = request.build_absolute_uri(reverse("api-item", args=[moved.code]))
            return HttpResponsePermanentRedirect(url)
        return Response(self.get_serializer(item).data)


@extend_schema(
    tags=TAGS,
    summary="The basic catalogue: each service once, with its legal basis and competent levels",
    responses={200: BasicServiceSerializer(many=True), **NOT_FOUND},
)
class ServiceListView(generics.ListAPIView):
    serializer_class = BasicServiceSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.basic_services()


@extend_schema(
    tags=TAGS,
    summary="One basic service with the implementations of every district",
    responses={200: BasicServiceDetailSerializer, **NOT_FOUND},
)
class ServiceDetailView(generics.RetrieveAPIView):
    serializer_class = BasicServiceDetailSerializer
    filter_backends: list = []

    def get_object(self):
        try:
            basic = selectors.basic_services().get(basic_code=self.kwargs["basic_code"])
        except BasicService.DoesNotExist as exc:
            raise Http404 from exc
        basic.active_items = list(selectors.implementations(basic))
        return basic


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

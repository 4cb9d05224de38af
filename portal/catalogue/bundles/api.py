"""One-thing bundles over the API (read-only, public): the list and one bundle with its items,
their departments and the materials its application asks once. Applying is the approvals app's
``POST /api/v1/bundle-applications/``."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError

from portal.api.problems import problem_responses

from . import selectors
from .models import Bundle, BundleItem, EventKind

NOT_FOUND = problem_responses(404, 429, s404="Not found (or no such page).")
ERRORS = problem_responses(
    404, 429, s400="Invalid query parameter.", s404="Not found (or no such page)."
)
TAGS = ["catalogue"]


class BundleSerializer(serializers.ModelSerializer):
    event_kind = serializers.ChoiceField(choices=EventKind.choices)
    applicant_kind = serializers.CharField(
        read_only=True, help_text="Who applies: person (life event) or company (business event)."
    )
    item_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Bundle
        fields = [
            "code", "name", "name_en", "description", "description_en", "event_kind",
            "applicant_kind", "item_count",
        ]  # fmt: skip


class BundleEntrySerializer(serializers.ModelSerializer):
    position = serializers.IntegerField()
    item = serializers.CharField(source="item.code", help_text="The item's code.")
    name = serializers.CharField(source="item.name")
    name_en = serializers.CharField(source="item.name_en")
    department = serializers.CharField(source="item.department.code")
    department_name = serializers.CharField(source="item.department.name")
    promised_limit_days = serializers.IntegerField(source="item.promised_limit_days")

    class Meta:
        model = BundleItem
        fields = [
            "position", "item", "name", "name_en", "department", "department_name",
            "promised_limit_days",
        ]  # fmt: skip


class BundleMaterialSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        source="pk", help_text="Names this material in the application's materials."
    )
    name = serializers.CharField()
    name_en = serializers.CharField()
    source = serializers.CharField(help_text="applicant, shared or commitment.")
    required = serializers.BooleanField()
    items = serializers.SerializerMethodField(help_text="Codes of the items that ask for it.")

    def get_items(self, group) -> list[str]:
        return [item.code for item in group.items]


class BundleDetailSerializer(BundleSerializer):
    items = serializers.SerializerMethodField()
    materials = serializers.SerializerMethodField()
    item_count = serializers.SerializerMethodField()

    class Meta(BundleSerializer.Meta):
        fields = [*BundleSerializer.Meta.fields, "items", "materials"]

    def get_item_count(self, bundle) -> int:
        return len(bundle.entries.all())

    @extend_schema_field(BundleEntrySerializer(many=True))
    def get_items(self, bundle) -> list[dict]:
        return BundleEntrySerializer(bundle.entries.all(), many=True).data

    @extend_schema_field(BundleMaterialSerializer(many=True))
    def get_materials(self, bundle) -> list[dict]:
        return BundleMaterialSerializer(selectors.bundle_materials(bundle), many=True).data


@extend_schema(
    tags=TAGS,
    summary="One-thing bundles (一事全办): the services one life or business event needs",
    parameters=[
        OpenApiParameter(
            "event", OpenApiTypes.STR, enum=EventKind.values, description="Only this kind of event."
        )
    ],
    responses={200: BundleSerializer(many=True), **ERRORS},
)
class BundleListView(generics.ListAPIView):
    serializer_class = BundleSerializer
    filter_backends: list = []

    def get_queryset(self):
        event = self.request.query_params.get("event") or None
        if event is not None and event not in EventKind.values:
            raise ValidationError({"event": [f"Choose one of: {', '.join(EventKind.values)}."]})
        return selectors.active_bundles(event)


@extend_schema(
    tags=TAGS,
    summary="One bundle: its services in order, their departments, its materials asked once",
    responses={200: BundleDetailSerializer, **NOT_FOUND},
)
class BundleDetailView(generics.RetrieveAPIView):
    serializer_class = BundleDetailSerializer
    lookup_field = "code"
    filter_backends: list = []

    def get_object(self):
        try:
            return selectors.get_bundle(self.kwargs["code"])
        except Bundle.DoesNotExist as exc:
            raise Http404 from exc

"""The outlets API: the public finder and outlet pages, and the managers' draft endpoints (with
the same permissions as the manager pages). Thin: rules live in ``services`` and ``selectors``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.fields import empty
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.problems import problem_responses
from portal.catalogue.models import ServiceItem
from portal.pagecache import CachedPublicListMixin

from . import hours as clock
from . import selectors, services
from .filters import OutletFilterSet
from .models import ItemListVersion, Outlet

# --- serializers ------

PROBLEM_TEXT = {
    400: "Invalid input (problem details, with the errors by field or by row).",
    401: "Not signed in.",
    403: "Signed in, but not a manager of this outlet.",
    404: "No such outlet, item or page.",
}


def problems(*codes: int) -> dict:
    """Problem-details responses (RFC 9457) for the OpenAPI schema, in this API's words."""
    return problem_responses(
        *codes, **{f"s{code}": PROBLEM_TEXT[code] for code in codes if code in PROBLEM_TEXT}
    )


TAGS = ["outlets"]


class StrictBooleanField(serializers.BooleanField):
    """Only true/false/1/0; a missing query parameter stays missing (not False, as for HTML)."""

    default_empty_html = empty
    TRUE_VALUES = {"true", "1", True}
    FALSE_VALUES = {"false", "0", False}


class OutletSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district_id", help_text="GB/T 2260 code")
    district_name = serializers.CharField(source="district.name")
    open_now = serializers.BooleanField()
    distance_km = serializers.SerializerMethodField(
        help_text="Great-circle distance from `near`, in km (null without `near`)."
    )

    class Meta:
        model = Outlet
        fields = [
            "code",
            "name",
            "kind",
            "operator",
            "district",
            "district_name",
            "address",
            "latitude",
            "longitude",
            "open_now",
            "distance_km",
        ]

    def get_distance_km(self, obj) -> float | None:
        value = getattr(obj, "distance_km", None)
        return None if value is None else round(value, 3)


class TerminalSerializer(serializers.Serializer):
    code = serializers.CharField()
    model = serializers.CharField()
    location = serializers.CharField()
    in_service = serializers.BooleanField()


class EntrySerializer(serializers.Serializer):
    code = serializers.CharField(source="item.code")
    name = serializers.CharField(source="item.name")
    domain = serializers.CharField(source="item.domain")
    terminals = serializers.SerializerMethodField(
        help_text="Terminal codes offering the item; empty means every terminal."
    )

    def get_terminals(self, obj) -> list[str]:
        return [t.code for t in obj.terminals.all()]


class ListedItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    domain = serializers.CharField()
    terminals = serializers.ListField(
        child=serializers.CharField(),
        help_text="Terminal codes offering the item; empty means every terminal.",
    )


class VersionSerializer(serializers.ModelSerializer):
    published_by = serializers.CharField(
        source="published_by.username", default=None, allow_null=True
    )

    class Meta:
        model = ItemListVersion
        fields = ["number", "effective_date", "published_at", "published_by", "note", "entry_count"]


class HistoryVersionSerializer(VersionSerializer):
    status = serializers.ChoiceField(
        choices=["published", "withdrawn"],
        help_text="`withdrawn`: withdrawn before its date, it never takes effect.",
    )
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    replaced_by = serializers.IntegerField(
        source="replaced_by.number",
        default=None,
        allow_null=True,
        help_text="The version that took its place, carrying a later publication's changes.",
    )

    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "status", "withdrawn_at", "replaced_by"]


class OutletDetailSerializer(OutletSerializer):
    phone = serializers.CharField()
    accessibility = serializers.CharField()
    status = serializers.CharField()
    terminals = TerminalSerializer(many=True)
    list_version = VersionSerializer(allow_null=True)
    items = ListedItemSerializer(many=True)

    class Meta(OutletSerializer.Meta):
        fields = [f for f in OutletSerializer.Meta.fields if f != "distance_km"] + [
            "phone",
            "accessibility",
            "status",
            "terminals",
            "list_version",
            "items",
        ]


class DraftSerializer(serializers.Serializer):
    outlet = serializers.CharField()
    entry_count = serializers.IntegerField()
    updated_at = serializers.DateTimeField()
    items = EntrySerializer(many=True)


class AddItemSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=40)
    terminals = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, default=list, max_length=50
    )


class TerminalsSerializer(serializers.Serializer):
    terminals = serializers.ListField(
        child=serializers.CharField(max_length=40), default=list, max_length=50
    )


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField()
    replace = StrictBooleanField(default=True)


class ImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    entries = serializers.IntegerField()


class ChangeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    domain = serializers.CharField()
    old_terminals = serializers.ListField(child=serializers.CharField())
    new_terminals = serializers.ListField(child=serializers.CharField())


class DiffSerializer(serializers.Serializer):
    against = serializers.IntegerField(
        allow_null=True,
        help_text="The version compared with: the one public on `effective_date` (null: none).",
    )
    added = ChangeSerializer(many=True)
    removed = ChangeSerializer(many=True)
    terminals_changed = ChangeSerializer(many=True)
    unchanged = serializers.IntegerField()


class ScheduledSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="version.number")
    effective_date = serializers.DateField(source="version.effective_date")
    note = serializers.CharField(source="version.note")
    added = serializers.IntegerField(help_text="Compared with the list before it.")
    removed = serializers.IntegerField()
    terminals_changed = serializers.IntegerField()
    fate = serializers.ChoiceField(
        choices=["before", "replaced", "carried", "untouched"],
        help_text=(
            "What publishing for `effective_date` does to it: `before` (it takes effect earlier; "
            "the new version is built on it), `replaced` (same date: the new version takes its "
            "place), `carried` (later: a new version with the changes replaces it), `untouched` "
            "(later, and it already holds the changes). `replaced` and `carried` versions must "
            "be named in `confirm_scheduled` when publishing."
        ),
    )
    carried = DiffSerializer(allow_null=True, help_text="What the publication changes in it.")


class PreviewSerializer(DiffSerializer):
    effective_date = serializers.DateField()
    scheduled = ScheduledSerializer(
        many=True, help_text="Every version scheduled after today, in the order they take effect."
    )
    confirm_scheduled = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="The numbers to send in `confirm_scheduled` to publish for this date.",
    )


class PublishSerializer(serializers.Serializer):
    effective_date = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    confirm_scheduled = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        max_length=100,
        help_text=(
            "The numbers of the scheduled versions this publication replaces (the preview's "
            "`confirm_scheduled`): refused unless exactly those."
        ),
    )
    compared_with = serializers.IntegerField(
        min_value=0,
        required=False,
        default=None,
        allow_null=True,
        help_text=(
            "The version the preview compared with (0: none): refused if the list public on "
            "`effective_date` has changed since."
        ),
    )


class ReplacedSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    replaced_by = serializers.IntegerField()


class PublicationSerializer(serializers.Serializer):
    """The version published, and the scheduled versions it replaced (the response only)."""

    number = serializers.IntegerField()
    effective_date = serializers.DateField()
    published_at = serializers.DateTimeField()
    published_by = serializers.CharField(allow_null=True)
    note = serializers.CharField()
    entry_count = serializers.IntegerField()
    replaced = ReplacedSerializer(
        many=True,
        help_text="The scheduled versions withdrawn by this publication and what replaced each.",
    )


def _diff_data(diff: selectors.ListDiff | None) -> dict | None:
    if diff is None:
        return None
    return {
        "added": diff.added,
        "removed": diff.removed,
        "terminals_changed": diff.terminals_changed,
        "unchanged": diff.unchanged,
    }


# --- public views ------


class OutletListView(CachedPublicListMixin, generics.ListAPIView):
    cache_per = "minute"  # open now

    @staticmethod
    def cache_clock():
        return clock.local_now()  # looked up at each call: tests travel in time

    serializer_class = OutletSerializer
    queryset = Outlet.objects.none()
    filterset_class = OutletFilterSet

    def get_queryset(self):
        return selectors.finder_outlets(clock.local_now())

    @extend_schema(
        tags=TAGS,
        summary="Find outlets",
        responses={200: OutletSerializer(many=True), **problems(400, 404, 429)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class OutletDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="One outlet with its terminals and the list in effect",
        responses={200: OutletDetailSerializer, **problems(404, 429)},
    )
    def get(self, request: Request, code: str) -> Response:
        now = clock.local_now()
        outlet = selectors.outlet_for_page(code, now)
        if outlet is None:
            raise_not_found()
        version = selectors.version_in_effect(outlet, now.date())
        outlet.list_version = version
        outlet.items = [
            {"code": i.code, "name": i.name, "domain": i.domain, "terminals": list(i.terminals)}
            for i in selectors.listed_items(version)
        ]
        data = OutletDetailSerializer(outlet).data
        return Response(data)


def raise_not_found():
    raise NotFound(_("No outlet with this code."))


# --- manager views ------

MANAGER_ERRORS = problems(401, 403, 404, 429)


def managed_outlet(request: Request, code: str) -> Outlet:
    """The outlet ``code``: 404 if unknown, 403 unless the user manages it."""
    outlet = Outlet.objects.filter(code=code).first()
    if outlet is None:
        raise_not_found()
    services.check_manager(request.user, outlet)
    return outlet


def _draft_data(outlet: Outlet) -> dict:
    draft = services.get_or_create_draft(outlet)
    entries = list(selectors.draft_entries(draft))
    return {
        "outlet": outlet.code,
        "entry_count": len(entries),
        "updated_at": draft.updated_at,
        "items": entries,
    }


# Signed-in users only. The services' ValidationError and PermissionDenied (Django's) become
# problem details in portal.api.exceptions. (A comment, not a docstring: drf-spectacular would
# publish a docstring as every manager operation's description.)
class ManagerView(APIView):
    permission_classes = [IsAuthenticated]


class DraftView(ManagerView):
    @extend_schema(
        tags=TAGS,
        summary="The outlet's draft list",
        responses={200: DraftSerializer, **MANAGER_ERRORS},
    )
    def get(self, request: Request, code: str) -> Response:
        outlet = managed_outlet(request, code)
        return Response(DraftSerializer(_draft_data(outlet)).data)


class DraftItemsView(ManagerView):
    @extend_schema(
        tags=TAGS,
        summary="Add an item to the draft (or replace its terminals)",
        request=AddItemSerializer,
        responses={201: EntrySerializer, **problems(400), **MANAGER_ERRORS},
    )
    def post(self, request: Request, code: str) -> Response:
        outlet = managed_outlet(request, code)
        body = AddItemSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = ServiceItem.objects.filter(code=body.validated_data["item"]).first()
        if item is None:
            raise ValidationError({"item": _("Unknown item code.")})
        entry = services.add_item(outlet, item, body.validated_data["terminals"], user=request.user)
        return Response(EntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class DraftItemView(ManagerView):
    def _entry_item(self, request: Request, code: str, item_code: str):
        outlet = managed_outlet(request, code)
        item = ServiceItem.objects.filter(code=item_code).first()
        if item is None:
            raise_not_found()
        return outlet, item

    @extend_schema(
        tags=TAGS,
        summary="Set the terminals offering an item of the draft (empty: all)",
        request=TerminalsSerializer,
        responses={200: EntrySerializer, **problems(400), **MANAGER_ERRORS},
    )
    def put(self, request: Request, code: str, item_code: str) -> Response:
        outlet, item = self._entry_item(request, code, item_code)
        body = TerminalsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = services.set_terminals(
            outlet, item, body.validated_data["terminals"], user=request.user
        )
        return Response(EntrySerializer(entry).data)

    @extend_schema(
        tags=TAGS,
        summary="Remove an item from the draft",
        responses={204: None, **MANAGER_ERRORS},
    )
    def delete(self, request: Request, code: str, item_code: str) -> Response:
        outlet, item = self._entry_item(request, code, item_code)
        if not services.remove_item(outlet, item, user=request.user):
            raise_not_found()
        return Response(status=status.HTTP_204_NO_CONTENT)


class DraftImportView(ManagerView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS,
        summary="Import a CSV/XLSX of item codes into the draft (all or nothing)",
        request={"multipart/form-data": ImportSerializer},
        responses={200: ImportResultSerializer, **problems(400), **MANAGER_ERRORS},
    )
    def post(self, request: Request, code: str) -> Response:
        outlet = managed_outlet(request, code)
        body = ImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        if upload.size > services.MAX_IMPORT_BYTES:
            raise ValidationError({"file": _("The file is larger than 2 MB.")})
        try:
            result = services.import_items(
                outlet,
                upload.read(),
                upload.name,
                replace=body.validated_data["replace"],
                user=request.user,
            )
        except services.ImportRejected as exc:
            rows = [{"line": p.line, "field": p.field, "message": p.message} for p in exc.problems]
            problem = {
                "type": "about:blank#invalid",
                "title": _("The file was not imported; nothing has changed."),
                "status": 400,
                "detail": "; ".join(str(p) for p in exc.problems),
                "errors": {"rows": rows},
            }
            return Response(problem, status=400, content_type="application/problem+json")
        return Response({"rows": result.rows, "entries": result.entries})


class DraftDiffView(ManagerView):
    @extend_schema(
        tags=TAGS,
        summary="What publishing the draft for a date does (the preview)",
        description=(
            "The draft's changes compared with the list public on `effective_date` (default "
            "today), and every version scheduled after today with what publishing does to it."
        ),
        parameters=[
            OpenApiParameter(
                "effective_date", OpenApiTypes.DATE, description="Today or later (default today)."
            )
        ],
        responses={200: PreviewSerializer, **problems(400), **MANAGER_ERRORS},
    )
    def get(self, request: Request, code: str) -> Response:
        outlet = managed_outlet(request, code)
        today = clock.local_now().date()
        query = PreviewQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("effective_date") or today
        services.check_effective_date(day, today)
        draft = services.get_or_create_draft(outlet)
        plan = selectors.publication_plan(outlet, draft, day, today)
        data = {
            **_diff_data(plan.diff),  # type: ignore[dict-item]
            "against": plan.public.number if plan.public else None,
            "effective_date": day,
            "scheduled": [
                {
                    "version": s.version,
                    "fate": s.fate,
                    "added": len(s.diff.added),
                    "removed": len(s.diff.removed),
                    "terminals_changed": len(s.diff.terminals_changed),
                    "carried": _diff_data(s.carried),
                }
                for s in plan.scheduled
            ],
            "confirm_scheduled": plan.to_confirm,
        }
        for item in data["scheduled"]:
            if item["carried"] is not None:
                item["carried"]["against"] = item["version"].number
        return Response(PreviewSerializer(data).data)


class PreviewQuerySerializer(serializers.Serializer):
    effective_date = serializers.DateField(required=False)


class PublishView(ManagerView):
    @extend_schema(
        tags=TAGS,
        summary="Publish the draft with an effective date (today or later)",
        description=(
            "Publishes exactly what the preview (`draft/diff/?effective_date=`) shows: the list "
            "public on that date with the draft's changes. Versions scheduled for that date or "
            "later are replaced by copies carrying the changes; name them in "
            "`confirm_scheduled`. One transaction: refused as a whole, nothing changed."
        ),
        request=PublishSerializer,
        responses={201: PublicationSerializer, **problems(400), **MANAGER_ERRORS},
    )
    def post(self, request: Request, code: str) -> Response:
        outlet = managed_outlet(request, code)
        body = PublishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        publication = services.publish(outlet, user=request.user, **body.validated_data)
        data = {
            **VersionSerializer(publication.version).data,
            "replaced": [
                {"number": old.number, "replaced_by": new.number}
                for old, new in publication.replaced
            ],
        }
        return Response(data, status=status.HTTP_201_CREATED)


class WithdrawView(ManagerView):
    @extend_schema(
        tags=TAGS,
        summary="Withdraw a scheduled version before it takes effect",
        request=None,
        responses={200: HistoryVersionSerializer, **problems(400), **MANAGER_ERRORS},
    )
    def post(self, request: Request, code: str, number: int) -> Response:
        outlet = managed_outlet(request, code)
        if not selectors.numbered_versions(outlet).filter(number=number).exists():
            raise NotFound(_("No version with this number."))
        version = services.withdraw(outlet, number, user=request.user)
        return Response(HistoryVersionSerializer(version).data)


class VersionsView(ManagerView):
    @extend_schema(
        tags=TAGS,
        summary="Published versions of the outlet's list, newest first (withdrawn ones too)",
        responses={200: HistoryVersionSerializer(many=True), **MANAGER_ERRORS},
    )
    def get(self, request: Request, code: str) -> Response:
        outlet = managed_outlet(request, code)
        versions = selectors.version_history(outlet)
        return Response(HistoryVersionSerializer(versions, many=True).data)

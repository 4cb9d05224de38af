"""Cases over the API: apply, read, list, and take workflow actions — with the same services,
rules and permissions as the pages. Errors are problem details; a refusal at acceptance is a 422
whose ``code`` is ``not_acceptable_here`` and which names the rule and the places instead."""

from __future__ import annotations

import base64
import binascii

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.generics import ListCreateAPIView, RetrieveAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal import idempotency
from portal.api.problems import problem_responses
from portal.catalogue.models import ServiceItem
from portal.uploads import MAX_UPLOAD_BYTES
from portal.validators import mask_identifier
from portal.workflow.models import WorkflowLog

from . import selectors, services
from .filters import STAFF_SCOPES, CaseFilterSet
from .models import (
    SYSTEM_CHANNELS,
    AcceptancePoint,
    ActorRole,
    ApplicantKind,
    Case,
    CaseMaterial,
    Channel,
    HandOff,
    MaterialKind,
)
from .services.smart import failed_checks
from .workflows import CASE


class NotAcceptableHereError(exceptions.APIException):
    status_code = 422
    default_code = "not_acceptable_here"
    default_detail = "This acceptance point may not accept the item."

    def __init__(self, decision: selectors.AcceptanceDecision):
        super().__init__(
            {
                "detail": exceptions.ErrorDetail(decision.message, code="not_acceptable_here"),
                "rule": (
                    "A point may accept an item only if the item is on the city-wide list and "
                    "the point is in Qingdao, on the regional list and the point is in one of "
                    "the five Jiaodong cities, or the point is in the competent department's "
                    "region."
                ),
                "places": list(decision.places),
            }
        )


# ----- serializers ---------------------------------------------------------------------------


class MaterialInSerializer(serializers.Serializer):
    material = serializers.IntegerField(
        required=False, min_value=1, help_text="Id of the item's required material it answers."
    )
    kind = serializers.ChoiceField(choices=MaterialKind.choices)
    shared_record = serializers.CharField(required=False, max_length=200, allow_blank=True)
    committed = serializers.BooleanField(required=False, default=False)
    commitment_text = serializers.CharField(required=False, max_length=2000, allow_blank=True)
    file_name = serializers.CharField(required=False, max_length=200)
    content_base64 = serializers.CharField(
        required=False, help_text=f"File content, base64; PDF/JPG/PNG up to {MAX_UPLOAD_BYTES} B."
    )

    def validate(self, attrs):
        if attrs["kind"] == MaterialKind.FILE:
            if not attrs.get("file_name") or not attrs.get("content_base64"):
                raise serializers.ValidationError("A file needs file_name and content_base64.")
            try:
                raw = base64.b64decode(attrs["content_base64"], validate=True)
            except (binascii.Error, ValueError):
                raise serializers.ValidationError({"content_base64": "Not valid base64."}) from None
            attrs["file"] = SimpleUploadedFile(attrs["file_name"], raw)
        return attrs


class CaseCreateSerializer(serializers.Serializer):
    item = serializers.SlugRelatedField(
        slug_field="code", queryset=ServiceItem.objects.select_related("department")
    )
    applicant_kind = serializers.ChoiceField(choices=ApplicantKind.choices)
    applicant_id_number = serializers.CharField(max_length=18)
    applicant_name = serializers.CharField(max_length=128)
    applicant_mobile = serializers.RegexField(r"^1[3-9]\d{9}$", required=False, allow_blank=True)
    accepting_point = serializers.SlugRelatedField(
        slug_field="code",
        queryset=AcceptancePoint.objects.all(),
        required=False,
        help_text="Code of the acceptance point; left out, the portal chooses it by the item and "
        "the applicant's district (the online platform when it may accept the item).",
    )
    channel = serializers.ChoiceField(
        choices=Channel.choices, help_text="Not proactive: the system opens those cases."
    )
    materials = MaterialInSerializer(many=True, required=False, default=list)
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")

    def validate_channel(self, value: str) -> str:
        if value in SYSTEM_CHANNELS:
            raise serializers.ValidationError("Proactive cases are opened by the system.")
        return value


class TransitionInSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")
    reasons = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    materials_due_on = serializers.DateField(required=False)


class NamedCodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CaseListSerializer(serializers.ModelSerializer):
    item = NamedCodeSerializer()
    accepting_point = NamedCodeSerializer()
    department = NamedCodeSerializer()
    status_display = serializers.CharField(source="get_status_display")
    applicant_id_number = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField()
    materials_overdue_on = serializers.DateField(
        allow_null=True,
        help_text="Set by the daily scan: the materials to follow were not all supplied by "
        "materials_due_on.",
    )

    class Meta:
        model = Case
        fields = [
            "reference",
            "item",
            "applicant_kind",
            "applicant_name",
            "applicant_id_number",
            "channel",
            "accepting_point",
            "department",
            "status",
            "status_display",
            "submitted_at",
            "accepted_on",
            "due_on",
            "materials_due_on",
            "materials_overdue_on",
            "is_overdue",
        ]

    def get_applicant_id_number(self, case) -> str:
        return mask_identifier(case.applicant_id_number)


class MaterialOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseMaterial
        fields = [
            "id",
            "name",
            "kind",
            "original_name",
            "size",
            "shared_record",
            "commitment_text",
            "committed_at",
        ]


class TransitionOutSerializer(serializers.ModelSerializer):
    # A row of the case's timeline: the shared workflow log, with the names it had before.
    action = serializers.CharField(source="step", label=_("action"), max_length=40)
    by = serializers.SerializerMethodField()
    by_role = serializers.ChoiceField(choices=ActorRole.choices, label=_("role"))
    note = serializers.CharField(
        source="note_text",
        read_only=True,
        label=_("note"),
        help_text=_(
            "The portal's own notes in the language the request asks for (Accept-Language); "
            "a note typed by a person as typed."
        ),
    )

    class Meta:
        model = WorkflowLog
        fields = ["action", "source", "target", "by", "by_role", "at", "note"]

    def get_by(self, log) -> str:
        return log.by.display_name if log.by else ""


class HandOffSerializer(serializers.ModelSerializer):
    from_point = NamedCodeSerializer()
    to_department = NamedCodeSerializer()
    sent_by = serializers.SerializerMethodField()
    received_by = serializers.SerializerMethodField()

    class Meta:
        model = HandOff
        fields = [
            "from_point",
            "to_department",
            "sent_by",
            "sent_at",
            "received_by",
            "received_at",
            "note",
        ]

    def get_sent_by(self, h) -> str:
        return h.sent_by.display_name if h.sent_by else ""

    def get_received_by(self, h) -> str:
        return h.received_by.display_name if h.received_by else ""


class SmartCheckResultSerializer(serializers.Serializer):
    field = serializers.CharField(
        help_text="What the check looked at (materials.required: the "
        "built-in check that every required material was supplied)."
    )
    operator = serializers.CharField(allow_blank=True)
    value = serializers.CharField(allow_blank=True)
    actual = serializers.CharField(allow_blank=True, help_text="What the system found.")
    passed = serializers.BooleanField()
    message = serializers.CharField(help_text="What the check requires, in Chinese.")
    message_en = serializers.CharField(allow_blank=True)


class SmartAssessmentSerializer(serializers.Serializer):
    assessed_at = serializers.DateTimeField()
    passed = serializers.BooleanField(
        help_text="Every check met: the system approved the case at once (smart_approve)."
    )
    checks = SmartCheckResultSerializer(many=True)
    failed = SmartCheckResultSerializer(many=True, help_text="The checks not met.")


class CaseDetailSerializer(CaseListSerializer):
    materials = MaterialOutSerializer(many=True)
    timeline = TransitionOutSerializer(many=True, source="transitions")
    hand_offs = HandOffSerializer(many=True)
    actions = serializers.SerializerMethodField()
    missing_materials = serializers.ListField(
        child=serializers.CharField(),
        help_text="The required materials missing when the case was accepted with materials "
        "to follow (recorded at acceptance).",
    )
    smart_approval = serializers.SerializerMethodField()

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "missing_materials",
            "reasons",
            "paused_days",
            "materials",
            "timeline",
            "hand_offs",
            "actions",
            "smart_approval",
        ]

    @extend_schema_field(SmartAssessmentSerializer(allow_null=True))
    def get_smart_approval(self, case) -> dict | None:
        """For an item with smart approval: the checks as assessed at submission (ADR 0117)."""
        assessment = case.smart_assessment or {}
        if not assessment:
            return None
        return SmartAssessmentSerializer({**assessment, "failed": failed_checks(case)}).data

    def get_actions(self, case) -> list[str]:
        request = self.context.get("request")
        return [a["name"] for a in selectors.available_actions(case, request.user)]


# ----- views ---------------------------------------------------------------------------------


def _visible_case(reference: str, user) -> Case:
    case = selectors.visible_case(reference, user)
    if case is None:
        raise Http404
    return case


COMMON_ERRORS = problem_responses(
    s403="Not signed in, or not allowed.", s404="No such case (or not yours to see)."
)


class CaseListCreateView(ListCreateAPIView):
    """Your cases (as applicant), or your department's / acceptance point's (as staff); apply."""

    permission_classes = [IsAuthenticated]
    serializer_class = CaseListSerializer
    filterset_class = CaseFilterSet  # scope picks the staff worklists

    def get_serializer_class(self):
        return CaseCreateSerializer if self.request.method == "POST" else CaseListSerializer

    def get_queryset(self):
        return selectors.cases_for_applicant(self.request.user)

    def paginate_queryset(self, queryset):
        """A staff worklist's page is read in index order like the page's (ADR 0122), not by
        sorting the whole scope; the filter set has refused an unknown scope or status."""
        scope = self.request.query_params.get("scope")
        if scope in STAFF_SCOPES and self.paginator is not None:
            status = self.request.query_params.get("status") or "all"
            worklist = selectors.staff_worklist(self.request.user, scope=scope, status=status)
            return self.paginator.paginate_queryset(worklist, self.request, view=self)
        return super().paginate_queryset(queryset)

    @extend_schema(
        tags=["cases"],
        responses={
            200: CaseListSerializer(many=True),
            **problem_responses(400, s400="An unknown scope or status."),
            **COMMON_ERRORS,
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["cases"],
        request=CaseCreateSerializer,
        parameters=[idempotency.SCHEMA_PARAMETER],
        responses={
            201: CaseDetailSerializer,
            **problem_responses(
                s400="Invalid input, by field.",
                s403="Not signed in, or not allowed.",
                s422="code not_acceptable_here: the point may not accept the item; rule and "
                "places say why and where instead.",
            ),
        },
    )
    def post(self, request, *args, **kwargs):
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        channel = data["channel"]
        point = data.get("accepting_point")
        user = request.user
        applicant_user = None
        if channel in services.COUNTER_CHANNELS:
            point = services.counter_point(user, point)
        else:
            applicant_user = user
        materials = []
        for entry in data.get("materials", []):
            entry = dict(entry)
            if entry.get("kind") == MaterialKind.PAPER:
                entry["paper"] = True
            materials.append(entry)
        try:
            case = services.submit_case(
                item=data["item"],
                applicant_kind=data["applicant_kind"],
                applicant_id_number=data["applicant_id_number"],
                applicant_name=data["applicant_name"],
                applicant_mobile=data.get("applicant_mobile", ""),
                applicant_user=applicant_user,
                channel=channel,
                accepting_point=point,
                materials=materials,
                by=user,
                note=data.get("note", ""),
                # An Idempotency-Key header: the same key again gives the same case.
                submission_key=idempotency.api_submission_key(request, f"case:{data['item'].code}"),
            )
        except services.NotAcceptableHere as exc:
            raise NotAcceptableHereError(exc.decision) from exc
        case = selectors.case_for_page(case.reference)
        return Response(
            CaseDetailSerializer(case, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class CaseDetailView(RetrieveAPIView):
    """One case with its materials, timeline, hand-offs and the actions open to you."""

    permission_classes = [IsAuthenticated]
    serializer_class = CaseDetailSerializer
    filter_backends: list = []

    def get_object(self):
        return _visible_case(self.kwargs["reference"], self.request.user)

    @extend_schema(tags=["cases"], responses={200: CaseDetailSerializer, **COMMON_ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CaseActionView(APIView):
    """Take a workflow action. The same rules as the buttons on the case page."""

    permission_classes = [IsAuthenticated]
    serializer_class = TransitionInSerializer

    @extend_schema(
        tags=["cases"],
        operation_id="cases_action",
        request=TransitionInSerializer,
        parameters=[
            OpenApiParameter(
                "action",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=[step.name for step in CASE.steps],
            ),
        ],
        responses={
            200: CaseDetailSerializer,
            **problem_responses(s400="Missing reasons or a bad date."),
            **COMMON_ERRORS,
            **problem_responses(
                s409="code not_allowed_now: the case has moved on (for example someone else "
                "acted first); materials_missing: accept or supply_materials while required "
                "materials are missing, named in missing_materials; nothing_missing: "
                "accept_with_missing_materials when every required material has been supplied."
            ),
        },
    )
    def post(self, request, reference: str, action: str):
        case = _visible_case(reference, request.user)
        serializer = TransitionInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        note = data.pop("note", "")
        services.transition(case.pk, action, user=request.user, note=note, **data)
        case = selectors.case_for_page(reference)
        return Response(CaseDetailSerializer(case, context={"request": request}).data)

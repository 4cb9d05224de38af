"""The legal-aid API (thin): reference data, routing, applications and their transitions,
12348 consultations, statistics. Same permissions as the pages; errors are problem details."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal import idempotency
from portal.api.problems import problem_responses
from portal.catalogue.models import Region
from portal.idempotency import api_submission_key
from portal.validators import (
    mask_identifier,
    validate_mobile,
    validate_resident_id,
    validate_visible_text,
)

from . import permissions as perms
from . import selectors, services
from .access import is_applicant, statistics_q
from .filters import BodyFilterSet, RoutingQuerySerializer, StatisticsQuerySerializer
from .models import (
    Body,
    BodyKind,
    Category,
    Centre,
    CentreKind,
    Channel,
    Exemption,
    HotlineService,
    MatterType,
    ObjectionDecision,
    Outcome,
    Urgency,
)
from .statistics import cached_statistics
from .workflows import LEGAL_AID


class StrictCharField(serializers.CharField):
    """Refuses numbers and booleans where a string is expected."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


# --- reference data ----------------------------------------------------------------------


class CentreSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=CentreKind.choices)
    region = serializers.CharField(source="region_id", help_text="GB/T 2260 code")
    parent = serializers.CharField(source="parent.code", allow_null=True, default=None)

    class Meta:
        model = Centre
        fields = ["code", "name", "name_en", "kind", "region", "parent", "address", "phone"]


class BodySerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=BodyKind.choices)
    region = serializers.CharField(source="region_id", help_text="GB/T 2260 code")

    class Meta:
        model = Body
        fields = ["code", "name", "name_en", "kind", "region"]


@extend_schema(
    tags=["legal aid"],
    responses={200: CentreSerializer(many=True), **problem_responses(400, 404)},
)
class CentreList(generics.ListAPIView):
    """The 21 legal-aid centres and branch centres."""

    serializer_class = CentreSerializer
    permission_classes = [AllowAny]
    filter_backends: list = []

    def get_queryset(self):
        return selectors.centres()


@extend_schema(
    tags=["legal aid"],
    responses={200: BodySerializer(many=True), **problem_responses(400, 404)},
)
class BodyList(generics.ListAPIView):
    """Courts and other case-handling or dispute-handling bodies."""

    serializer_class = BodySerializer
    permission_classes = [AllowAny]
    filterset_class = BodyFilterSet

    def get_queryset(self):
        return selectors.bodies()


class RoutingSerializer(serializers.Serializer):
    competent_centre = CentreSerializer()
    matter_type = serializers.ChoiceField(choices=MatterType.choices)
    reason = serializers.CharField()
    reason_zh = serializers.CharField()
    reason_en = serializers.CharField()


class RoutingView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["legal aid"],
        parameters=[RoutingQuerySerializer],
        responses={200: RoutingSerializer, **problem_responses(400)},
    )
    def get(self, request):
        """The competent centre for a matter and the reason (Legal Aid Law, article 38)."""
        query = RoutingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        matter_type = query.validated_data["matter_type"]
        body, place = query.validated_data.get("body"), query.validated_data.get("place")
        routing = selectors.route(matter_type, body=body, place=place)
        return Response(
            RoutingSerializer(
                {
                    "competent_centre": routing.centre,
                    "matter_type": matter_type,
                    "reason": routing.reason,
                    "reason_zh": routing.reason_zh,
                    "reason_en": routing.reason_en,
                }
            ).data
        )


# --- applications ------------------------------------------------------------------------


def _region(code: str | None, field: str) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise DRFValidationError({field: ["There is no region with this code."]})
    return region


class ApplicationInputSerializer(serializers.Serializer):
    applicant_name = StrictCharField(max_length=64, validators=[validate_visible_text])
    resident_id = StrictCharField(max_length=18, validators=[validate_resident_id])
    phone = StrictCharField(max_length=11, validators=[validate_mobile])
    address = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    residence = StrictCharField(
        required=False, allow_blank=True, default="", help_text="GB/T 2260 code"
    )
    matter_type = serializers.ChoiceField(choices=MatterType.choices)
    category = serializers.ChoiceField(choices=Category.choices)
    opposing_party = StrictCharField(
        max_length=128,
        required=False,
        allow_blank=True,
        default="",
        validators=[validate_visible_text],
    )
    body = StrictCharField(required=False, allow_blank=True, default="", help_text="Body code")
    place = StrictCharField(
        required=False, allow_blank=True, default="", help_text="GB/T 2260 code"
    )
    arose_on = serializers.DateField(required=False, allow_null=True, default=None)
    facts = StrictCharField(max_length=4000)
    exemption = serializers.ChoiceField(choices=Exemption.choices, required=False, default="")
    hardship_statement = StrictCharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    household_size = StrictIntegerField(
        min_value=1, max_value=20, required=False, allow_null=True, default=None
    )
    monthly_income = StrictIntegerField(
        min_value=0, max_value=10_000_000, required=False, allow_null=True, default=None
    )
    commitment = StrictBooleanField()
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, default="")
    limitation_ends = serializers.DateField(required=False, allow_null=True, default=None)
    accepting_centre = StrictCharField(
        required=False, allow_blank=True, default="", help_text="Centre code; empty for online"
    )
    consultation = StrictCharField(
        required=False, allow_blank=True, default="", help_text="12348 consultation reference"
    )

    def to_input(self, user) -> services.ApplicationInput:
        from .models import Consultation

        d = dict(self.validated_data)
        body = None
        if d["body"]:
            body = Body.objects.select_related("region").filter(code=d["body"]).first()
            if body is None:
                raise DRFValidationError({"body": ["There is no body with this code."]})
        centre = None
        if d["accepting_centre"]:
            centre = Centre.objects.filter(code=d["accepting_centre"]).first()
            if centre is None:
                raise DRFValidationError(
                    {"accepting_centre": ["There is no centre with this code."]}
                )
        consultation = None
        if d["consultation"]:
            consultation = Consultation.objects.filter(
                reference=d["consultation"], caller_phone=getattr(user, "mobile", None) or "-"
            ).first()
            if consultation is None:
                raise DRFValidationError(
                    {"consultation": ["No consultation of yours has this reference."]}
                )
        return services.ApplicationInput(
            applicant_name=d["applicant_name"],
            resident_id=d["resident_id"],
            phone=d["phone"],
            address=d["address"],
            residence=_region(d["residence"], "residence"),
            matter_type=d["matter_type"],
            category=d["category"],
            opposing_party=d["opposing_party"],
            body=body,
            place=_region(d["place"], "place"),
            arose_on=d["arose_on"],
            facts=d["facts"],
            exemption=d["exemption"],
            hardship_statement=d["hardship_statement"],
            household_size=d["household_size"],
            monthly_income=d["monthly_income"],
            commitment=d["commitment"],
            urgency=d["urgency"],
            limitation_ends=d["limitation_ends"],
            accepting_centre=centre,
            consultation=consultation,
        )


class CentreRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class NoteOutSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    text = serializers.CharField()


class ApplicationSerializer(serializers.Serializer):
    reference = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    applicant_name = serializers.CharField()
    resident_id = serializers.SerializerMethodField(
        help_text="In full for the applicant's own application; masked (first 6 and last 4 "
        "characters) for everybody else."
    )
    matter_type = serializers.CharField()
    category = serializers.CharField()
    body = serializers.CharField(source="body.code", allow_null=True, default=None)
    place = serializers.CharField(source="place_id", allow_null=True)
    channel = serializers.CharField()
    accepting_centre = serializers.CharField(
        source="accepting_centre.code", allow_null=True, default=None
    )
    competent_centre = CentreRefSerializer()
    routing_reason = serializers.SerializerMethodField()
    urgency = serializers.CharField()
    aid_first = serializers.BooleanField()
    submitted_at = serializers.DateTimeField()
    decision_due = serializers.DateField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision = serializers.CharField()
    decision_reasons = serializers.CharField()
    materials_request = serializers.SerializerMethodField()
    materials_due = serializers.DateField(allow_null=True)
    assignment_due = serializers.DateField(allow_null=True)
    lawyer = serializers.CharField(source="lawyer.name", allow_null=True, default=None)
    closed_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.CharField()
    objection_due = serializers.DateField(allow_null=True)
    objection_decision = serializers.CharField()
    progress_notes = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    def get_resident_id(self, obj) -> str:
        if is_applicant(self.context["request"].user, obj):
            return obj.resident_id
        return mask_identifier(obj.resident_id, 6, 4)

    def get_routing_reason(self, obj) -> str:
        return selectors.routing_reason(obj)

    def get_materials_request(self, obj) -> list[str]:
        return [line for line in obj.materials_request.splitlines() if line.strip()]

    def get_progress_notes(self, obj) -> list[dict]:
        return NoteOutSerializer(obj.progress_notes.all(), many=True).data

    def get_available_actions(self, obj) -> list[str]:
        return selectors.available_actions(obj, self.context["request"].user)


class ApplicationCreate(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["legal aid"],
        request=ApplicationInputSerializer,
        parameters=[idempotency.SCHEMA_PARAMETER],
        responses={201: ApplicationSerializer, **problem_responses(400, 401, 403)},
    )
    def post(self, request):
        """Submit an application (online). Centre staff recording it for a person at their
        counter get their own centre as the accepting centre (naming another is a 400) and
        the channel "centre"; justice bureau officers may not (403)."""
        serializer = ApplicationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.to_input(request.user)
        # an Idempotency-Key header makes a retried call return the first application
        key = api_submission_key(request, services.API_PURPOSE)
        if perms.is_staff_member(request.user):  # a refusal is a 403 (the problem handler)
            app = services.record_walk_in(data, staff=request.user, submission_key=key)
        else:
            app = services.submit_application(
                data, user=request.user, channel=Channel.ONLINE, submission_key=key
            )
        app = selectors.application_for(request.user, app.reference) or app
        return Response(
            ApplicationSerializer(app, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


def _readable(request, reference):
    app = selectors.application_for(request.user, reference)
    if app is None:
        raise NotFound()
    return app


class ApplicationDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["legal aid"],
        responses={200: ApplicationSerializer, **problem_responses(401, 403, 404)},
    )
    def get(self, request, reference: str):
        """One application, with its competent centre and the routing reason."""
        app = _readable(request, reference)
        services.log_access(app, request.user, channel="api")
        return Response(ApplicationSerializer(app, context={"request": request}).data)


class ActionSerializer(serializers.Serializer):
    note = StrictCharField(required=False, allow_blank=True, default="", max_length=4000)
    items = serializers.ListField(
        child=StrictCharField(max_length=300),
        required=False,
        help_text="request_materials: every missing material",
    )
    days = StrictIntegerField(
        required=False,
        min_value=5,
        max_value=30,
        help_text="request_materials: days to supply them",
    )
    reasons = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=4000,
        help_text="grant, refuse, terminate, decide_objection",
    )
    lawyer = StrictIntegerField(required=False, min_value=1, help_text="assign_lawyer: lawyer id")
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False)
    score = StrictIntegerField(required=False, min_value=1, max_value=5, help_text="rate")
    comment = StrictCharField(required=False, allow_blank=True, max_length=1000)
    text = StrictCharField(
        required=False, allow_blank=True, max_length=4000, help_text="lodge_objection"
    )
    decision = serializers.ChoiceField(
        choices=ObjectionDecision.choices, required=False, help_text="decide_objection"
    )


class ApplicationAction(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["legal aid"],
        operation_id="legal_aid_application_action",
        parameters=[
            OpenApiParameter(
                "action", str, OpenApiParameter.PATH, enum=[s.name for s in LEGAL_AID.steps]
            )
        ],
        request=ActionSerializer,
        responses={
            200: ApplicationSerializer,
            **problem_responses(400, 401, 403, 404, 409),
        },
    )
    def post(self, request, reference: str, action: str):
        """Take a workflow step. 409 when the application's state no longer allows it (for
        instance when a colleague acted first), 403 when the step is not yours to take."""
        if LEGAL_AID.step(action) is None:
            raise NotFound()
        _readable(request, reference)
        serializer = ActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        kwargs = dict(serializer.validated_data)
        # a refusal (the kernel's one type) becomes a problem answer in the exception handler:
        # 409 when the state no longer allows the step, 403 not yours, 400 a missing input
        note = kwargs.pop("note", "")
        app = services.take(reference, action, request.user, note=note, **kwargs)
        app = selectors.application_for(request.user, app.reference)
        return Response(ApplicationSerializer(app, context={"request": request}).data)


# --- hotline and statistics ---------------------------------------------------------------


class ConsultationSerializer(serializers.Serializer):
    reference = serializers.CharField(read_only=True)
    caller_name = StrictCharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        validators=[validate_visible_text],
    )
    caller_phone = StrictCharField(max_length=20)
    service = serializers.ChoiceField(
        choices=HotlineService.choices, required=False, default=HotlineService.LEGAL_AID
    )
    topic = serializers.ChoiceField(
        choices=Category.choices, required=False, allow_blank=True, default=""
    )
    duty_lawyer = serializers.CharField(source="duty_lawyer.name", read_only=True, default=None)
    question = StrictCharField(max_length=4000)
    answer = StrictCharField(max_length=4000)
    duration_seconds = StrictIntegerField(min_value=0, max_value=24 * 3600)
    handled_at = serializers.DateTimeField(required=False)
    suggest_application = StrictBooleanField(required=False, default=False)


class ConsultationCreate(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["legal aid"],
        request=ConsultationSerializer,
        responses={201: ConsultationSerializer, **problem_responses(400, 401, 403)},
    )
    def post(self, request):
        """Record a 12348 consultation (legal-aid staff, or the hotline system's account with
        the permission ``legal_aid.add_consultation``)."""
        if not (
            perms.is_staff_member(request.user)
            or request.user.has_perm("legal_aid.add_consultation")
        ):
            raise PermissionDenied()
        serializer = ConsultationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consultation = services.record_consultation(
            handled_by=request.user, **serializer.validated_data
        )
        return Response(ConsultationSerializer(consultation).data, status=status.HTTP_201_CREATED)


class StatisticsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["legal aid"],
        parameters=[StatisticsQuerySerializer],
        responses={200: OpenApiTypes.OBJECT, **problem_responses(400, 401, 403)},
    )
    def get(self, request):
        """Applications, grants, refusals by category, centre, channel and month; decision
        and assignment times; overdue counts; hotline volumes (justice bureau)."""
        # scope (legal_aid.access.statistics_q): a centre's staff their centre's figures, the
        # bureau its centres', administrators all
        if not perms.can_view_statistics(request.user):
            raise PermissionDenied()
        query = StatisticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        dates = query.validated_data
        return Response(
            cached_statistics(
                dates.get("date_from"), dates.get("date_to"), scope=statistics_q(request.user)
            )
        )

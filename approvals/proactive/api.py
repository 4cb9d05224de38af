"""API of proactive approvals (under /api/v1/approvals/): licence events in, rules, companies,
offers out, and the courier's signed webhook. Thin: validation here, the rest in services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_orjson_renderer.parsers import ORJSONParser
from drf_orjson_renderer.renderers import ORJSONRenderer
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import exceptions, generics, permissions, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts.authentication import SystemClientAuthentication
from portal.accounts.permissions import (
    is_administrator,
    is_department_staff,
    scope_required,
    system_client,
)
from portal.api.problems import problem_responses
from portal.validators import mask_identifier

from . import selectors, services
from .events import parse_batch
from .filters import CompanyFilterSet, OfferFilterSet
from .models import (
    Certificate,
    CertificateStatus,
    Company,
    CompanyStatus,
    CompanyType,
    ContactPerson,
    ContactRole,
    Offer,
    OfferReason,
    OfferStatus,
    ProactiveRule,
    Shipment,
    ShipmentStatus,
    Trigger,
)


def inline_choice(values: list[str], **kwargs) -> serializers.ChoiceField:
    """A choice field documented with its values inline (as :func:`enum_field`)."""

    @extend_schema_field({"type": "string", "enum": values})
    class InlineChoice(serializers.ChoiceField):
        pass

    return InlineChoice(choices=values, **kwargs)


def enum_field(choices, **kwargs) -> serializers.CharField:
    """A read-only text field documented with its values inline (no shared enum component, so
    no name collisions with other apps' ``status`` enums)."""

    @extend_schema_field({"type": "string", "enum": [value for value, _label in choices]})
    class EnumField(serializers.CharField):
        pass

    return EnumField(read_only=True, **kwargs)


LIST_ERRORS = problem_responses(400, 404)


#: Licence events rewrite the register and make offers: only the register feed's own key (a
#: system client with this scope) posts them, never a person, staff or not (issue 11).
CanPostLicenceEvents = scope_required("licence_events:write")
#: The courier's key; its calls are signed as well (``CourierWebhook``).
IsCourier = scope_required("courier:events")


def register_reader(request) -> bool:
    """A system client reading the whole register (scope ``register:read``)."""
    client = system_client(request)
    return client is not None and client.has_scope("register:read")


class CanReadRegister(permissions.BasePermission):
    """The register: a system client with ``register:read``, administrators, and department
    staff (who see only the companies their department issues certificates to)."""

    message = "Only the register's readers, administrators and department staff read it."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return register_reader(request) or is_administrator(user) or is_department_staff(user)


class IsOfferReviewer(permissions.BasePermission):
    """Administrators and department staff (who see only their department's offers)."""

    def has_permission(self, request, view) -> bool:
        return is_administrator(request.user) or is_department_staff(request.user)


# ---------------------------------------------------------------------------- licence events


def _text_change(limit: int) -> dict:
    return {
        "type": "object",
        "properties": {
            "old": {"type": "string", "nullable": True},
            "new": {"type": "string", "minLength": 1, "maxLength": limit, "pattern": "\\S"},
        },
        "required": ["new"],
        "additionalProperties": False,
    }


HOLDERS = {
    "type": "array",
    "nullable": True,
    "items": {"type": "string", "minLength": 1, "pattern": "\\S"},
}
CHANGES_SCHEMA = {
    "type": "object",
    "description": "The changed particulars, each with its old and new value.",
    "properties": {
        "name": _text_change(200),
        "legal_representative": _text_change(64),
        "address": _text_change(300),
        "shareholders": {
            "type": "object",
            "properties": {"old": HOLDERS, "new": {**HOLDERS, "nullable": False}},
            "required": ["new"],
            "additionalProperties": False,
        },
    },
    "minProperties": 1,
    "additionalProperties": False,
}


EVENT_SCHEMA = {
    "type": "object",
    "properties": {
        "event_id": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "\\S"},
        "uscc": {
            "type": "string",
            "minLength": 18,
            "maxLength": 18,
            "pattern": "^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$",
            "description": "Unified social credit code (GB 32100-2015), valid check character.",
        },
        "changed_on": {"type": "string", "format": "date"},
        "changes": CHANGES_SCHEMA,
    },
    "required": ["event_id", "uscc", "changed_on", "changes"],
    "additionalProperties": False,
}
BATCH_SCHEMA = {
    "type": "object",
    "properties": {
        "events": {"type": "array", "minItems": 1, "maxItems": 10_000, "items": EVENT_SCHEMA}
    },
    "required": ["events"],
}


class OfferBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    certificate = serializers.CharField()
    item = serializers.CharField()
    reason = serializers.CharField()


class EventResultSerializer(serializers.Serializer):
    event_id = serializers.CharField()
    status = serializers.ChoiceField(choices=["stored", "duplicate"])
    offers = OfferBriefSerializer(many=True)


class IngestResultSerializer(serializers.Serializer):
    batch = serializers.UUIDField()
    stored = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    offers_created = serializers.IntegerField()
    events = EventResultSerializer(many=True)


BATCH_ERRORS = problem_responses(
    401,
    403,
    s400="The batch was refused and nothing of it stored; each bad event is named in "
    "invalid_events by its index and event_id with its errors.",
)

EXAMPLE = OpenApiExample(
    "A change of legal representative",
    value={
        "events": [
            {
                "event_id": "SCJG-2026-000001",
                "uscc": "91370200MA3C5HKX4B",
                "changed_on": "2026-11-20",
                "changes": {"legal_representative": {"old": "王建国", "new": "李海峰"}},
            }
        ]
    },
    request_only=True,
)


def _posted_events(request) -> Any:
    data = request.data
    return data.get("events") if isinstance(data, dict) else None


def _invalid(bad: list[dict]) -> Response:
    """A batch with bad events: problem details naming each, nothing stored."""
    return Response(
        {
            "type": "about:blank#invalid_events",
            "title": "Invalid licence events",
            "status": 400,
            "detail": f"{len(bad)} event(s) are invalid; nothing of this batch was stored.",
            "invalid_events": bad,
        },
        status=400,
        content_type="application/problem+json",
    )


class LicenceEventsView(APIView):
    """Only the register feed's API key (scope ``licence_events:write``) posts events; a body
    over the size limit is refused (413) before it is read."""

    # The key is checked before the body is parsed (DRF parses request.data lazily, in post());
    # RequestGuardMiddleware refuses a Content-Length over MAX_REQUEST_BODY_BYTES before any view.
    authentication_classes = [SystemClientAuthentication]
    permission_classes = [CanPostLicenceEvents]
    # orjson: a 5,000-event batch is parsed and answered in a few milliseconds (ADR 0071).
    parser_classes = [ORJSONParser]
    renderer_classes = [ORJSONRenderer]

    @extend_schema(
        operation_id="approvals_licence_events_create",
        summary="Post a batch of licence-change events (detection runs in the same transaction)",
        request={"application/json": BATCH_SCHEMA},
        examples=[EXAMPLE],
        responses={
            201: IngestResultSerializer,
            **BATCH_ERRORS,
        },
        tags=["proactive approvals"],
    )
    def post(self, request):
        result, bad = services.ingest_batch(_posted_events(request))
        if result is None:
            return _invalid(bad)
        return Response(
            {
                "batch": str(result.batch),
                "stored": result.created,
                "duplicates": result.duplicates,
                "offers_created": result.offers_created,
                "events": result.events,
            },
            status=status.HTTP_201_CREATED,
        )


class LicenceEventsQueueView(APIView):
    authentication_classes = [SystemClientAuthentication]
    permission_classes = [CanPostLicenceEvents]
    parser_classes = [ORJSONParser]

    @extend_schema(
        operation_id="approvals_licence_events_queue",
        summary="Post a batch to be ingested by a django-q2 worker (validated now)",
        request={"application/json": BATCH_SCHEMA},
        responses={
            202: inline_serializer("LicenceEventsQueued", {"queued": serializers.IntegerField()}),
            **BATCH_ERRORS,
        },
        tags=["proactive approvals"],
    )
    def post(self, request):
        events, bad = parse_batch(_posted_events(request))
        if bad:
            return _invalid(bad)
        from django_q.tasks import async_task

        async_task("approvals.proactive.tasks.ingest_events", request.data["events"])
        return Response({"queued": len(events)}, status=status.HTTP_202_ACCEPTED)


# ---------------------------------------------------------------------------- rules


class RuleSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code")
    trigger = enum_field(Trigger.choices)
    certificate_types = serializers.SerializerMethodField()
    regions = serializers.SerializerMethodField()

    class Meta:
        model = ProactiveRule
        fields = [
            "id",
            "name",
            "item",
            "trigger",
            "fields",
            "days",
            "certificate_types",
            "regions",
            "valid_from",
            "valid_to",
            "active",
        ]

    def get_certificate_types(self, rule) -> list[str]:
        return [t.code for t in rule.certificate_types.all()]

    def get_regions(self, rule) -> list[str]:
        return [r.code for r in rule.regions.all()]


@extend_schema(
    tags=["proactive approvals"],
    responses={200: RuleSerializer(many=True), **LIST_ERRORS},
)
class RuleList(generics.ListAPIView):
    """The rules that decide who gets an offer (public: they are the published policy)."""

    serializer_class = RuleSerializer
    permission_classes = [permissions.AllowAny]
    filter_backends: list = []

    def get_queryset(self):
        return selectors.rules().order_by("id")


# ---------------------------------------------------------------------------- companies


class CertificateBriefSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="type.code")
    item = serializers.CharField(source="type.item.code")
    status = enum_field(CertificateStatus.choices)

    class Meta:
        model = Certificate
        fields = ["number", "type", "item", "grade", "issued_on", "expires_on", "status"]


class ContactSerializer(serializers.ModelSerializer):
    role = enum_field(ContactRole.choices)
    mobile = serializers.SerializerMethodField()

    class Meta:
        model = ContactPerson
        fields = ["role", "name", "mobile"]

    def get_mobile(self, contact) -> str:
        return mask_identifier(contact.mobile)


class CompanySerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district_id")
    type = enum_field(CompanyType.choices)
    status = enum_field(CompanyStatus.choices)

    class Meta:
        model = Company
        fields = ["uscc", "name", "type", "legal_representative", "address", "district", "status"]


class CompanyDetailSerializer(CompanySerializer):
    certificates = CertificateBriefSerializer(many=True)
    contacts = ContactSerializer(many=True)

    class Meta(CompanySerializer.Meta):
        fields = [*CompanySerializer.Meta.fields, "certificates", "contacts"]


STAFF_ERRORS = problem_responses(400, 401, 403, 404)


@extend_schema(
    tags=["proactive approvals"],
    responses={200: CompanySerializer(many=True), **STAFF_ERRORS},
)
class CompanyList(generics.ListAPIView):
    """Companies of the register: the register's readers (API key with ``register:read``) and
    administrators all of them, department staff those their department issues certificates
    to."""

    serializer_class = CompanySerializer
    permission_classes = [CanReadRegister]
    filterset_class = CompanyFilterSet

    def get_queryset(self):
        return selectors.companies(
            user=None if register_reader(self.request) else self.request.user
        )


@extend_schema(
    tags=["proactive approvals"], responses={200: CompanyDetailSerializer, **STAFF_ERRORS}
)
class CompanyDetail(generics.RetrieveAPIView):
    """One company with its certificates and contacts (numbers masked)."""

    serializer_class = CompanyDetailSerializer
    permission_classes = [CanReadRegister]

    def get_object(self):
        user = None if register_reader(self.request) else self.request.user
        try:
            return selectors.company_detail(self.kwargs["uscc"], user=user)
        except Company.DoesNotExist:
            raise exceptions.NotFound() from None


# ---------------------------------------------------------------------------- offers


class OfferSerializer(serializers.ModelSerializer):
    certificate = serializers.CharField(source="certificate.number")
    # null for an offer to a person holding the certificate in their own name (ADR 0111)
    company = serializers.CharField(source="company.uscc", allow_null=True)
    item = serializers.CharField(source="item.code")
    reason = enum_field(OfferReason.choices)
    status = enum_field(OfferStatus.choices)

    class Meta:
        model = Offer
        fields = [
            "id",
            "company",
            "certificate",
            "item",
            "reason",
            "status",
            "deadline",
            "created_at",
            "sent_at",
            "opened_at",
            "answered_at",
        ]


@extend_schema(
    tags=["proactive approvals"],
    responses={200: OfferSerializer(many=True), **STAFF_ERRORS},
)
class OfferList(generics.ListAPIView):
    """Offers made: administrators all, department staff their department's (the item's)."""

    serializer_class = OfferSerializer
    permission_classes = [IsOfferReviewer]
    filterset_class = OfferFilterSet

    def get_queryset(self):
        return selectors.offers(user=self.request.user)


# ---------------------------------------------------------------------------- courier webhook


class CourierEventSerializer(serializers.Serializer):
    event_id = serializers.CharField(max_length=64)
    tracking_number = serializers.CharField(max_length=32)
    status = inline_choice(["collected", "in_transit", "delivered", "failed", "cancelled"])
    occurred_at = serializers.DateTimeField(required=False)
    reason = serializers.CharField(max_length=200, required=False)
    order_id = serializers.CharField(max_length=64, required=False)


def courier_secret() -> bytes:
    from .couriers.registry import options

    return str(options()["SECRET"]).encode()


def sign_courier_body(body: bytes, timestamp: int | str) -> str:
    """``sha256=<hex>`` of HMAC-SHA256(secret, "<timestamp>.<body>") (docs/courier-protocol.md)."""
    from .couriers.protocol import sign

    return sign(courier_secret(), body, timestamp)


class CourierWebhook(APIView):
    """The courier's status updates (docs/courier-protocol.md), read by the configured courier
    plug-in. The courier's API key (scope ``courier:events``), and signed: headers
    ``X-Courier-Timestamp`` (Unix seconds, at most five minutes old) and
    ``X-Courier-Signature: sha256=<HMAC-SHA256 of "timestamp.body">``. A replayed event id
    changes nothing."""

    authentication_classes = [SystemClientAuthentication]
    permission_classes = [IsCourier]
    throttle_classes: list = []
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="approvals_courier_webhook",
        tags=["proactive approvals"],
        request=CourierEventSerializer,
        parameters=[
            OpenApiParameter(
                "X-Courier-Timestamp", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True
            ),
            OpenApiParameter(
                "X-Courier-Signature", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True
            ),
        ],
        responses={
            200: inline_serializer(
                "CourierAck",
                {
                    "tracking_number": serializers.CharField(),
                    "status": serializers.CharField(),
                    "duplicate": serializers.BooleanField(),
                },
            ),
            **problem_responses(400, 401, 403, 404, 409),
        },
    )
    def post(self, request):
        from .couriers import WebhookRefused
        from .couriers import get as get_courier

        try:
            events = get_courier().parse_webhook(request)
        except WebhookRefused as exc:
            if exc.status == 400:
                raise exceptions.ParseError(str(exc)) from None
            raise exceptions.PermissionDenied(str(exc)) from None
        if len(events) != 1:
            raise exceptions.ParseError("Send one event per call.")
        try:
            shipment, new = services.handle_courier_event(events[0])
        except services.Shipment.DoesNotExist:
            raise exceptions.NotFound("No shipment has this tracking number.") from None
        except (services.CourierError, DjangoValidationError) as exc:
            return Response(
                {
                    "type": "about:blank#conflict",
                    "title": "Conflict",
                    "status": 409,
                    "detail": str(exc),
                },
                status=409,
                content_type="application/problem+json",
            )
        return Response(
            {
                "tracking_number": shipment.tracking_number,
                "status": shipment.status,
                "duplicate": not new,
            }
        )


# ---------------------------------------------------------------------------- tracking


STATUS_HELP = "The shipment's status: one of " + ", ".join(ShipmentStatus.values)


class TrackingEventSerializer(serializers.Serializer):
    step = serializers.CharField()
    label = serializers.CharField()
    status = serializers.CharField(help_text=STATUS_HELP)
    at = serializers.DateTimeField()
    note = serializers.CharField()


class CaseDocumentSerializer(serializers.Serializer):
    kind = inline_choice(["new_certificate", "old_certificate"])
    number = serializers.CharField(source="certificate.number")
    type = serializers.CharField(source="certificate.type.name")
    verification_code = serializers.CharField(source="code")


class ShipmentTrackingSerializer(serializers.Serializer):
    case = serializers.CharField(source="shipment.case_reference")
    kind = serializers.CharField(
        source="shipment.kind", help_text="collect_old_deliver_new or deliver_only"
    )
    status = serializers.CharField(source="shipment.status", help_text=STATUS_HELP)
    tracking_number = serializers.CharField(source="shipment.tracking_number")
    courier = serializers.CharField(source="shipment.courier")
    attempt = serializers.IntegerField(source="shipment.attempt")
    address = serializers.CharField(source="shipment.address")
    events = TrackingEventSerializer(many=True)
    documents = CaseDocumentSerializer(many=True)


@extend_schema(
    tags=["proactive approvals"],
    responses={200: ShipmentTrackingSerializer, **problem_responses(401, 403, 404)},
)
class ShipmentTracking(generics.GenericAPIView):
    """The parcel of a proactive case: its status, the courier's tracking number, the timeline
    (ordered, collected, in transit, delivered, failed, with times) and the case's certificates
    with their verification codes. The holder's representative, the department's staff and
    administrators."""

    serializer_class = ShipmentTrackingSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get(self, request, reference: str):
        from portal.access import policy_for

        shipment = (
            policy_for(Shipment)
            .filter(Shipment.objects.select_related("offer"), request.user)
            .filter(case_reference=reference)
            .first()
        )
        if shipment is None:
            raise exceptions.NotFound("No shipment for this case.")
        offer = selectors.offer_of_case(shipment.offer.case) if shipment.offer.case_id else None
        data = {
            "shipment": shipment,
            "events": selectors.tracking(shipment),
            "documents": selectors.case_documents(offer) if offer else [],
        }
        return Response(self.get_serializer(data).data)

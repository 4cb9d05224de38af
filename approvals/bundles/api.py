"""Bundle applications over the API: apply for a one-thing bundle (one case per item, at each
competent department), list your applications and read one's progress. The same service and
rules as the pages; errors are problem details."""

from __future__ import annotations

import base64
import binascii

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListCreateAPIView, RetrieveAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from portal import idempotency
from portal.api.problems import problem_responses
from portal.catalogue.bundles import selectors as catalogue_selectors
from portal.catalogue.bundles.models import Bundle
from portal.uploads import MAX_UPLOAD_BYTES

from ..models import ApplicantKind
from . import selectors, services
from .models import BundleApplication, BundleCase


class BundleMaterialInSerializer(serializers.Serializer):
    material = serializers.IntegerField(
        min_value=1,
        help_text="Id of the bundle's material it answers (GET /api/v1/bundles/{code}/: "
        "materials[].id); given once, it goes to every case that asks for it.",
    )
    committed = serializers.BooleanField(required=False, default=False)
    file_name = serializers.CharField(required=False, max_length=200)
    content_base64 = serializers.CharField(
        required=False, help_text=f"File content, base64; PDF/JPG/PNG up to {MAX_UPLOAD_BYTES} B."
    )

    def validate(self, attrs):
        if attrs.get("content_base64") or attrs.get("file_name"):
            if not attrs.get("file_name") or not attrs.get("content_base64"):
                raise serializers.ValidationError("A file needs file_name and content_base64.")
            try:
                raw = base64.b64decode(attrs["content_base64"], validate=True)
            except (binascii.Error, ValueError):
                raise serializers.ValidationError({"content_base64": "Not valid base64."}) from None
            attrs["file"] = SimpleUploadedFile(attrs["file_name"], raw)
        return attrs


class BundleApplicationCreateSerializer(serializers.Serializer):
    bundle = serializers.SlugRelatedField(
        slug_field="code", queryset=Bundle.objects.filter(is_active=True)
    )
    applicant_kind = serializers.ChoiceField(choices=ApplicantKind.choices)
    applicant_id_number = serializers.CharField(max_length=18)
    applicant_name = serializers.CharField(max_length=128)
    applicant_mobile = serializers.RegexField(r"^1[3-9]\d{9}$", required=False, allow_blank=True)
    materials = BundleMaterialInSerializer(many=True, required=False, default=list)
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class LinkedCaseSerializer(serializers.ModelSerializer):
    position = serializers.IntegerField()
    reference = serializers.CharField(source="case.reference")
    item = serializers.CharField(source="case.item.code")
    item_name = serializers.CharField(source="case.item.name")
    department = serializers.CharField(source="case.department.code")
    department_name = serializers.CharField(source="case.department.name")
    status = serializers.CharField(source="case.status")
    status_display = serializers.CharField(source="case.get_status_display")
    due_on = serializers.DateField(source="case.due_on", allow_null=True)

    class Meta:
        model = BundleCase
        fields = [
            "position", "reference", "item", "item_name", "department", "department_name",
            "status", "status_display", "due_on",
        ]  # fmt: skip


class BundleApplicationListSerializer(serializers.ModelSerializer):
    bundle = serializers.CharField(source="bundle.code")
    bundle_name = serializers.CharField(source="bundle.name")
    case_count = serializers.IntegerField()

    class Meta:
        model = BundleApplication
        fields = ["reference", "bundle", "bundle_name", "applicant_name", "submitted_at",
                  "case_count"]  # fmt: skip


class BundleApplicationDetailSerializer(serializers.ModelSerializer):
    bundle = serializers.CharField(source="bundle.code")
    bundle_name = serializers.CharField(source="bundle.name")
    cases = LinkedCaseSerializer(many=True, source="visible_links")

    class Meta:
        model = BundleApplication
        fields = ["reference", "bundle", "bundle_name", "applicant_name", "submitted_at", "cases"]


def _progress(reference: str, user) -> BundleApplication:
    application = selectors.progress(reference, user)
    if application is None:
        raise Http404
    return application


class BundleApplicationListCreateView(ListCreateAPIView):
    """Your bundle applications; apply for a bundle."""

    permission_classes = [IsAuthenticated]
    serializer_class = BundleApplicationListSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.applications_for_applicant(self.request.user)

    @extend_schema(
        tags=["cases"],
        responses={200: BundleApplicationListSerializer(many=True), **problem_responses(403)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["cases"],
        request=BundleApplicationCreateSerializer,
        parameters=[idempotency.SCHEMA_PARAMETER],
        responses={
            201: BundleApplicationDetailSerializer,
            **problem_responses(
                s400="Invalid input, by field (a material by material_<id>); nothing recorded.",
                s403="Not signed in.",
            ),
        },
    )
    def post(self, request, *args, **kwargs):
        serializer = BundleApplicationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        bundle = catalogue_selectors.get_bundle(data["bundle"].code)
        materials: dict[int, dict] = {}
        for entry in data.get("materials", []):
            given = {"committed": entry.get("committed", False)}
            if entry.get("file") is not None:
                given["file"] = entry["file"]
            materials[entry["material"]] = given
        application = services.submit_bundle(
            bundle=bundle,
            applicant_kind=data["applicant_kind"],
            applicant_id_number=data["applicant_id_number"],
            applicant_name=data["applicant_name"],
            applicant_mobile=data.get("applicant_mobile", ""),
            applicant_user=request.user,
            materials=materials,
            note=data.get("note", ""),
            # An Idempotency-Key header: the same key again gives the same application.
            submission_key=idempotency.api_submission_key(request, f"bundle:{bundle.code}"),
        )
        application = _progress(application.reference, request.user)
        return Response(
            BundleApplicationDetailSerializer(application).data, status=status.HTTP_201_CREATED
        )


class BundleApplicationDetailView(RetrieveAPIView):
    """One bundle application's progress: each case with its department and state (staff see
    only the cases of their scope)."""

    permission_classes = [IsAuthenticated]
    serializer_class = BundleApplicationDetailSerializer
    filter_backends: list = []

    def get_object(self):
        return _progress(self.kwargs["reference"], self.request.user)

    @extend_schema(
        tags=["cases"],
        responses={
            200: BundleApplicationDetailSerializer,
            **problem_responses(s403="Not signed in.", s404="No such application (or not yours)."),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

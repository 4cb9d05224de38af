"""``POST /api/v1/verify/``: the same check as the verify pages, for machines."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.problems import problem_responses

from . import verification
from .forms import MAX_PDF_BYTES
from .models import DocumentStatus, IssuedDocument


class VerifyRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The PDF to check (multipart/form-data, at most 20 MB).")

    def validate_file(self, upload) -> bytes:
        if upload.size > MAX_PDF_BYTES:
            raise serializers.ValidationError("The file is larger than 20 MB.")
        data = upload.read()
        if not data.lstrip()[:5] == b"%PDF-":
            raise serializers.ValidationError("This file is not a PDF.")
        return data


@extend_schema_field(
    {"type": "string", "enum": [value for value, _label in DocumentStatus.choices]}
)
class DocumentStatusField(serializers.CharField):
    """Documented inline (no shared enum component to collide with other ``status`` enums)."""


class DocumentSerializer(serializers.ModelSerializer):
    status = DocumentStatusField(read_only=True)

    class Meta:
        model = IssuedDocument
        fields = [
            "code",
            "kind",
            "title",
            "authority_name",
            "issued_at",
            "status",
            "superseded_on",
            "revoked_on",
            "replacement_code",
        ]
        read_only_fields = fields


VerdictSerializer = inline_serializer(
    "SealVerdict",
    fields={
        "outcome": serializers.ChoiceField(
            choices=[
                verification.CURRENT,
                verification.SUPERSEDED,
                verification.REVOKED,
                verification.UNREGISTERED,
                verification.ALTERED,
                verification.UNKNOWN_AUTHORITY,
                verification.NOT_SIGNED,
            ],
            help_text="current, superseded, revoked (authentic; see `document`), unregistered "
            "(authentic, not in the register), altered, unknown_authority, not_signed.",
        ),
        "authentic": serializers.BooleanField(),
        "message_zh": serializers.CharField(),
        "message_en": serializers.CharField(),
        "authority": serializers.CharField(help_text="The signer named in its certificate."),
        "signed_at": serializers.DateTimeField(allow_null=True),
        "development_key": serializers.BooleanField(),
        "sha256": serializers.CharField(),
        "document": DocumentSerializer(allow_null=True),
        "replacement": DocumentSerializer(allow_null=True),
    },
)


class VerifyView(APIView):
    """Check a PDF's electronic seal: pyHanko's validator against the published CA chain
    (`/signing/ca.pem`), then the register of issued documents."""

    permission_classes = [permissions.AllowAny]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="verify_pdf",
        summary="Verify a signed PDF",
        request={"multipart/form-data": VerifyRequestSerializer},
        responses={200: VerdictSerializer, **problem_responses(400, 413, 429)},
        tags=["verification"],
    )
    def post(self, request: Request) -> Response:
        given = VerifyRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        verdict = verification.verify_pdf(given.validated_data["file"])
        answers = verification.messages_of(verdict)
        return Response(
            {
                "outcome": verdict.outcome,
                "authentic": verdict.authentic,
                "message_zh": answers["zh"],
                "message_en": answers["en"],
                "authority": verdict.authority,
                "signed_at": verdict.signed_at,
                "development_key": verdict.development_key,
                "sha256": verdict.sha256,
                "document": DocumentSerializer(verdict.document).data if verdict.document else None,
                "replacement": DocumentSerializer(verdict.replacement).data
                if verdict.replacement
                else None,
            }
        )

"""Sign-in by one-time code over the API: request a code, then verify it (session login)."""

from __future__ import annotations

from django.contrib.auth import login
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from portal.validators import mask_identifier, validate_mobile

from . import services
from .models import CodePurpose, User, otp_setting

PROBLEM = OpenApiResponse(description="Problem details (RFC 9457).")


class StrictCharField(serializers.CharField):
    """A string field that refuses numbers and booleans instead of coercing them."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class OtpRequestSerializer(serializers.Serializer):
    mobile = StrictCharField(max_length=11, validators=[validate_mobile])
    purpose = serializers.ChoiceField(choices=CodePurpose.choices, default=CodePurpose.LOGIN)


class OtpRequestedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    expires_in = serializers.IntegerField(help_text="Seconds the code stays valid.")
    resend_after = serializers.IntegerField(help_text="Seconds before a new code may be asked.")


class OtpVerifySerializer(serializers.Serializer):
    mobile = StrictCharField(max_length=11, validators=[validate_mobile])
    code = serializers.RegexField(r"^\d{6}$", max_length=6)


class SignedInUserSerializer(serializers.ModelSerializer):
    mobile = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "real_name", "mobile", "role"]

    def get_mobile(self, user: User) -> str:
        return mask_identifier(user.mobile or "")


class OtpRequestView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "otp"

    @extend_schema(
        tags=["auth"],
        summary="Send a one-time code by SMS",
        request=OtpRequestSerializer,
        responses={
            202: OtpRequestedSerializer,
            400: PROBLEM,
            429: PROBLEM,
        },
    )
    def post(self, request):
        serializer = OtpRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.issue_code(
            serializer.validated_data["mobile"], serializer.validated_data["purpose"]
        )
        return Response(
            {
                "detail": "sent",
                "expires_in": otp_setting("TTL_SECONDS"),
                "resend_after": otp_setting("RESEND_SECONDS"),
            },
            status=status.HTTP_202_ACCEPTED,
        )


class OtpVerifyView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "otp"

    @extend_schema(
        tags=["auth"],
        summary="Sign in with a one-time code (starts a session)",
        request=OtpVerifySerializer,
        responses={
            200: SignedInUserSerializer,
            400: PROBLEM,
            429: PROBLEM,
        },
    )
    def post(self, request):
        serializer = OtpVerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.sign_in_with_code(
            serializer.validated_data["mobile"], serializer.validated_data["code"]
        )
        login(request._request, user, backend="django.contrib.auth.backends.ModelBackend")
        return Response(SignedInUserSerializer(user).data)

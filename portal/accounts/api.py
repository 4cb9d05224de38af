"""Sign-in by one-time code over the API: request a code, then verify it (session login).

Status codes: 400 for a malformed number or code; 429 when a code may not be sent yet (a minute
between codes, ten a day) or the ``otp`` throttle rate is exceeded; 403 when a well-formed code
is refused (wrong, expired, used up, or the account is disabled)."""

from __future__ import annotations

from django.contrib.auth import login
from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied, Throttled
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.problems import problem_responses
from portal.api.throttling import ScopedThrottle
from portal.validators import MOBILE_PATTERN, mask_identifier, validate_mobile

from . import services
from .models import CodePurpose, User, otp_setting


class MobileField(serializers.RegexField):
    """An 11-digit mainland mobile number (the pattern is in the schema); strings only."""

    def __init__(self, **kwargs):
        super().__init__(MOBILE_PATTERN.pattern, max_length=11, min_length=11, **kwargs)
        self.validators.append(validate_mobile)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class OtpRequestSerializer(serializers.Serializer):
    mobile = MobileField()
    purpose = serializers.ChoiceField(choices=CodePurpose.choices, default=CodePurpose.LOGIN)


class OtpRequestedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    expires_in = serializers.IntegerField(help_text="Seconds the code stays valid.")
    resend_after = serializers.IntegerField(help_text="Seconds before a new code may be asked.")


class OtpVerifySerializer(serializers.Serializer):
    mobile = MobileField()
    code = serializers.RegexField(r"^\d{6}$", max_length=6, min_length=6)


class SignedInUserSerializer(serializers.ModelSerializer):
    mobile = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "real_name", "mobile", "role"]

    def get_mobile(self, user: User) -> str:
        return mask_identifier(user.mobile or "")


class _OtpView(APIView):
    """JSON only (a cross-site HTML form cannot send it), counted per client address."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    parser_classes = [JSONParser]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "otp"


def enforce_csrf(request) -> None:
    """Django's CSRF check (token and origin), as the session's API calls get it: signing in
    starts a session, so a page of another site must not be able to sign a browser in as
    somebody else (login CSRF)."""
    SessionAuthentication().enforce_csrf(request._request)


class OtpRequestView(_OtpView):
    @extend_schema(
        tags=["auth"],
        summary="Send a one-time code by SMS",
        request=OtpRequestSerializer,
        responses={
            202: OtpRequestedSerializer,
            **problem_responses(
                s400="Not a mobile number.",
                s429="A code was sent less than a minute ago, the day's codes for this number "
                "are used up, or too many requests.",
            ),
        },
    )
    def post(self, request):
        serializer = OtpRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            services.issue_code(data["mobile"], data["purpose"])
        except ValidationError as exc:
            if exc.code not in ("otp_too_soon", "otp_daily_limit"):
                raise
            # A rate limit, said as one: 429 with the wait.
            wait = otp_setting("RESEND_SECONDS") if exc.code == "otp_too_soon" else 24 * 3600
            raise Throttled(wait=wait, detail=" ".join(exc.messages)) from None
        return Response(
            {
                "detail": "sent",
                "expires_in": otp_setting("TTL_SECONDS"),
                "resend_after": otp_setting("RESEND_SECONDS"),
            },
            status=status.HTTP_202_ACCEPTED,
        )


class OtpVerifyView(_OtpView):
    @extend_schema(
        tags=["auth"],
        summary="Sign in with a one-time code (starts a session)",
        request=OtpVerifySerializer,
        responses={
            200: SignedInUserSerializer,
            **problem_responses(
                429,
                s400="Malformed number or code.",
                s403="The code is wrong, expired or used up, or the account is disabled.",
            ),
        },
    )
    def post(self, request):
        enforce_csrf(request)
        serializer = OtpVerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            user = services.sign_in_with_code(data["mobile"], data["code"])
        except ValidationError as exc:
            raise PermissionDenied(detail=" ".join(exc.messages), code=exc.code) from None
        login(request._request, user, backend="portal.accounts.backends.ModelBackend")
        return Response(SignedInUserSerializer(user).data)

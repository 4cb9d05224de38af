"""The inbox over the API (the signed-in person's own messages) and the notification gateway's
delivery receipts (its API key, scope ``notifications:receipts``). Thin: the rules are in
``access``, ``selectors`` and ``services``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts.authentication import SystemClientAuthentication
from portal.accounts.permissions import scope_required
from portal.api.problems import problem_responses

from . import selectors, services
from .models import Notification

MAX_RECEIPTS = 500
# The largest id the database holds (a bigger number would overflow, not just miss).
MAX_ID = 2**63 - 1


# ---- the inbox -------------------------------------------------------------------------------
_IN_YOUR_LANGUAGE = _(
    "In the language the request asks for (Accept-Language), as on the inbox page; in Chinese "
    "when the message was stored without a translation."
)


class InboxMessageSerializer(serializers.ModelSerializer):
    subject = serializers.CharField(
        source="subject_text", read_only=True, label=_("subject"), help_text=_IN_YOUR_LANGUAGE
    )
    body = serializers.CharField(
        source="body_text", read_only=True, label=_("body"), help_text=_IN_YOUR_LANGUAGE
    )
    unread = serializers.BooleanField(source="is_unread")

    class Meta:
        model = Notification
        fields = ["id", "subject", "body", "link", "created_at", "read_at", "unread"]


class InboxListView(generics.ListAPIView):
    """The signed-in person's in-site messages, newest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = InboxMessageSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.inbox_for(self.request.user)

    @extend_schema(
        tags=["inbox"],
        responses={200: InboxMessageSerializer(many=True), **problem_responses(401)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class InboxMessageView(APIView):
    """One of the signed-in person's messages; anybody else's does not exist (404)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["inbox"], responses={200: InboxMessageSerializer, **problem_responses(401, 404)}
    )
    def get(self, request, pk: int):
        message = selectors.inbox_for(request.user).filter(pk=pk).first()
        if message is None:
            raise NotFound(_("No such message."))
        return Response(InboxMessageSerializer(message).data)


class InboxReadView(APIView):
    """Mark one of the signed-in person's messages read (again: no change)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["inbox"],
        request=None,
        responses={200: InboxMessageSerializer, **problem_responses(401, 404)},
    )
    def post(self, request, pk: int):
        try:
            message = services.mark_read(request.user, pk)
        except Notification.DoesNotExist:
            raise NotFound(_("No such message.")) from None
        return Response(InboxMessageSerializer(message).data)


# ---- delivery receipts -----------------------------------------------------------------------
class ReceiptSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The `id` of the portal's delivery request."
    )
    status = serializers.ChoiceField(choices=[services.RECEIPT_DELIVERED, services.RECEIPT_FAILED])
    provider_id = serializers.RegexField(
        r"^[A-Za-z0-9._:@/+=-]+$",
        max_length=100,
        required=False,
        default="",
        help_text="The gateway's own id of the message.",
    )
    error = serializers.CharField(
        max_length=500, required=False, default="", allow_blank=True, trim_whitespace=True
    )
    at = serializers.DateTimeField(required=False, default=None, allow_null=True)


class ReceiptBatchSerializer(serializers.Serializer):
    receipts = ReceiptSerializer(many=True, min_length=1, max_length=MAX_RECEIPTS)


RESULT = inline_serializer(
    "ReceiptResults",
    {
        "updated": serializers.IntegerField(),
        "unchanged": serializers.IntegerField(),
        "unknown": serializers.IntegerField(),
        "results": serializers.ListField(
            child=inline_serializer(
                "ReceiptResult",
                {
                    "id": serializers.IntegerField(),
                    "result": serializers.ChoiceField(choices=["updated", "unchanged", "unknown"]),
                },
            )
        ),
    },
)


class ReceiptsView(APIView):
    """Delivery receipts from the notification gateway: only its API key (scope
    ``notifications:receipts``), never a person's session or password. Up to 500 receipts a
    request, in one transaction; repeating a receipt changes nothing (``unchanged``), an id the
    portal never sent by SMS or WeChat is ``unknown``."""

    authentication_classes = [SystemClientAuthentication]
    permission_classes = [scope_required("notifications:receipts")]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="notifications_receipts_create",
        tags=["notifications"],
        request=ReceiptBatchSerializer,
        responses={200: RESULT, **problem_responses(400, 401, 403)},
    )
    def post(self, request):
        body = ReceiptBatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        receipts = [services.Receipt(**row) for row in body.validated_data["receipts"]]
        results = services.record_receipts(receipts)
        return Response(
            {
                **{name: results.count(name) for name in ("updated", "unchanged", "unknown")},
                "results": [
                    {"id": receipt.id, "result": result}
                    for receipt, result in zip(receipts, results, strict=True)
                ],
            }
        )

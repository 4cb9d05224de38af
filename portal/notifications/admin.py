"""The delivery record of every message, for administrators (``portal.notifications.access``).

Bodies and links are shown with their signed tokens redacted: an offer link is a bearer token
that lets whoever holds it act for the company, and an administrator has no need of it. Mobile
numbers are masked; the body is not searchable (a search would be an oracle for a token)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.access.admin import ScopedAdmin

from . import services
from .access import redact
from .models import Notification, Status


@admin.register(Notification)
class NotificationAdmin(ScopedAdmin):
    list_display = (
        "created_at",
        "channel",
        "recipient",
        "address",
        "subject",
        "status",
        "attempts",
        "sent_at",
        "delivered_at",
        "read_at",
    )
    list_filter = ("channel", "status", "created_at")
    search_fields = ("subject", "key", "recipient__username")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    fields = (
        "recipient",
        "channel",
        "address",
        "subject",
        "redacted_body",
        "redacted_link",
        "status",
        "attempts",
        "last_error",
        "key",
        "provider_id",
        "created_at",
        "sent_at",
        "delivered_at",
        "read_at",
    )
    readonly_fields = fields
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("body"))
    def redacted_body(self, obj: Notification) -> str:
        return redact(obj.body)

    @admin.display(description=_("link"))
    def redacted_link(self, obj: Notification) -> str:
        return redact(obj.link)

    @admin.action(
        description=_("Retry delivery of the selected failed messages"),
        permissions=["change"],
    )
    def retry(self, request, queryset):
        count = services.retry(queryset.filter(status=Status.FAILED).values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )

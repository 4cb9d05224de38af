from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Notification, Status


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "channel",
        "recipient",
        "address",
        "subject",
        "status",
        "attempts",
        "sent_at",
        "read_at",
    )
    list_filter = ("channel", "status", "created_at")
    search_fields = (
        "subject",
        "body",
        "address",
        "key",
        "recipient__username",
        "recipient__mobile",
    )
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    readonly_fields = (
        "recipient",
        "channel",
        "address",
        "subject",
        "body",
        "link",
        "status",
        "attempts",
        "last_error",
        "key",
        "created_at",
        "sent_at",
        "read_at",
    )
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Retry delivery of the selected failed messages"))
    def retry(self, request, queryset):
        count = services.retry(queryset.filter(status=Status.FAILED).values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )

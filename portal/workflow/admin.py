"""The shared log in the admin: a read-only inline a record's change page adds, and the log's
own list (rows filtered by the policies of their records)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.translation import gettext_lazy as _

from portal.access import policy_for
from portal.access.admin import ReadOnly, ScopedAdmin

from .models import WorkflowLog


class WorkflowLogInline(ReadOnly, GenericTabularInline):
    """The record's timeline, read-only (entries are written by the workflow only); shown to
    whoever may see the record."""

    model = WorkflowLog
    extra = 0
    can_delete = False
    fields = ("at", "step_shown", "source", "target", "by", "by_role", "note")
    readonly_fields = fields
    ordering = ["at", "id"]
    verbose_name_plural = _("timeline (read-only log)")

    @admin.display(description=_("step"))
    def step_shown(self, log: WorkflowLog) -> str:
        return log.step_label

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")

    def has_view_permission(self, request, obj=None) -> bool:
        return obj is None or policy_for(obj).can_view(request.user, obj)


@admin.register(WorkflowLog)
class WorkflowLogAdmin(ScopedAdmin):
    list_display = ["at", "workflow", "object_id", "step", "source", "target", "by", "by_role"]
    list_filter = ["workflow", "step", "by_role"]
    list_select_related = ["by"]
    search_fields = ["=object_id"]
    raw_id_fields = ["by"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

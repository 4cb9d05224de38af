"""The shared log in the admin: a read-only inline a record's change page adds."""

from __future__ import annotations

from django.contrib.admin import display as admin_display
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.translation import gettext_lazy as _

from .models import WorkflowLog


class WorkflowLogInline(GenericTabularInline):
    """The record's timeline, read-only (entries are written by the workflow only)."""

    model = WorkflowLog
    extra = 0
    can_delete = False
    fields = ["at", "step_shown", "source", "target", "by", "by_role", "note"]
    readonly_fields = fields
    ordering = ["at", "id"]
    verbose_name_plural = _("timeline")

    @admin_display(description=_("step"))
    def step_shown(self, log: WorkflowLog) -> str:
        return log.step_label

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AcceptancePoint, Case, CaseMaterial, CaseTransition, HandOff, PointStaff


class PointStaffInline(admin.TabularInline):
    model = PointStaff
    extra = 0
    raw_id_fields = ["user"]


@admin.register(AcceptancePoint)
class AcceptancePointAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "region", "department", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["code", "name", "name_en"]
    raw_id_fields = ["department"]
    inlines = [PointStaffInline]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TransitionInline(ReadOnlyInline):
    model = CaseTransition
    fields = ["at", "action", "source", "target", "by", "by_role", "note"]
    readonly_fields = fields
    verbose_name_plural = _("timeline (read-only log)")


class HandOffInline(ReadOnlyInline):
    model = HandOff
    fields = ["from_point", "to_department", "sent_by", "sent_at", "received_by", "received_at"]
    readonly_fields = fields


class MaterialInline(ReadOnlyInline):
    model = CaseMaterial
    fields = ["name", "kind", "file", "size", "shared_record", "committed_at"]
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "item",
        "applicant_name",
        "department",
        "status",
        "due_on",
        "overdue",
        "channel",
        "accepting_point",
    ]
    list_filter = ["status", "overdue", "channel", "department__level", "department"]
    list_select_related = ["item", "department", "accepting_point"]
    search_fields = ["reference", "applicant_name", "applicant_id_number"]
    date_hierarchy = "submitted_at"
    ordering = ["due_on", "id"]
    show_full_result_count = False
    raw_id_fields = ["item", "applicant_user", "accepting_point", "department"]
    readonly_fields = [
        "reference",
        "status",
        "submitted_at",
        "accepted_on",
        "decided_at",
        "closed_at",
        "due_on",
        "materials_due_on",
        "missing_materials",
        "materials_overdue_on",
        "paused_on",
        "paused_days",
        "returned_from",
        "overdue",
        "created_at",
        "updated_at",
    ]
    inlines = [MaterialInline, HandOffInline, TransitionInline]

    def has_add_permission(self, request):
        # Cases are created through the application pages, the API or proactive approvals.
        return False


@admin.register(CaseTransition)
class CaseTransitionAdmin(admin.ModelAdmin):
    list_display = ["case", "at", "action", "source", "target", "by", "by_role"]
    list_filter = ["action", "by_role"]
    list_select_related = ["case", "by"]
    search_fields = ["case__reference"]
    raw_id_fields = ["case", "by"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

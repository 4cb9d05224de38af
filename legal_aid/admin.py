from django.contrib import admin

from .models import (
    AccessLog,
    ApplicationEvent,
    Body,
    Centre,
    Consultation,
    Lawyer,
    LegalAidApplication,
    ProgressNote,
    StaffMembership,
)


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "region", "parent", "phone"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "region"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "centre", "role"]
    list_filter = ["role", "centre"]
    raw_id_fields = ["user"]


@admin.register(Lawyer)
class LawyerAdmin(admin.ModelAdmin):
    list_display = ["name", "firm", "centre", "hotline_duty", "is_active"]
    list_filter = ["centre", "hotline_duty", "is_active"]
    search_fields = ["name", "licence_number", "firm"]
    raw_id_fields = ["user"]


class EventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    readonly_fields = ["transition", "from_state", "to_state", "actor", "at", "note"]


class NoteInline(admin.TabularInline):
    model = ProgressNote
    extra = 0
    raw_id_fields = ["author"]


@admin.register(LegalAidApplication)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-mostly: the workflow changes state through the pages and the API (logged)."""

    list_display = [
        "reference",
        "applicant_name",
        "category",
        "competent_centre",
        "state",
        "submitted_at",
        "decision_due",
    ]
    list_filter = ["state", "channel", "category", "competent_centre"]
    search_fields = ["reference", "applicant_name"]
    raw_id_fields = ["applicant", "consultation", "lawyer"]
    readonly_fields = ["state"]
    inlines = [NoteInline, EventInline]
    list_select_related = ["competent_centre"]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["reference", "handled_at", "topic", "duration_seconds", "handled_by"]
    list_filter = ["topic"]
    search_fields = ["reference", "caller_phone"]
    raw_id_fields = ["handled_by"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["application", "user", "at", "channel"]
    raw_id_fields = ["application", "user"]

    def has_change_permission(self, request, obj=None):
        return False

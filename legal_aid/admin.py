"""The legal-aid admin, on the policies of ``legal_aid.access`` (ADR 0080): staff list and open
only their centres' applications and consultations, read-only (workflow records change through
the services; superusers alone by hand); identity numbers and mobiles show masked, in full only to
the handling centre's staff, and that view is logged. Reference data keeps its history. Searches
go by reference (a name or a mobile in the search box would end up in the URL)."""

from django.contrib import admin

from portal.access.admin import ReadOnlyInline, ScopedAdmin
from portal.workflow.admin import WorkflowLogInline

from . import services
from .models import (
    AccessLog,
    Body,
    Centre,
    Consultation,
    Evidence,
    Lawyer,
    LegalAidApplication,
    ProgressNote,
    StaffMembership,
)


@admin.register(Centre)
class CentreAdmin(ScopedAdmin):
    list_display = ["code", "name", "kind", "region", "parent", "phone"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(Body)
class BodyAdmin(ScopedAdmin):
    list_display = ["code", "name", "kind", "region"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(StaffMembership)
class StaffMembershipAdmin(ScopedAdmin):
    """Bindings are granted by administrators, never by the person they bind."""

    list_display = ["user", "centre", "role"]
    list_filter = ["role", "centre"]
    raw_id_fields = ["user"]


@admin.register(Lawyer)
class LawyerAdmin(ScopedAdmin):
    list_display = ["name", "firm", "centre", "phone", "hotline_duty", "is_active"]
    list_filter = ["centre", "hotline_duty", "is_active"]
    search_fields = ["name", "licence_number", "firm"]
    raw_id_fields = ["user"]


class NoteInline(ReadOnlyInline):
    model = ProgressNote
    fields = ["at", "author", "text"]
    readonly_fields = fields


class EvidenceInline(ReadOnlyInline):
    model = Evidence
    fk_name = "application"
    fields = ["original_name", "description", "content_type", "size", "uploaded_at"]
    readonly_fields = fields


@admin.register(LegalAidApplication)
class ApplicationAdmin(ScopedAdmin):
    """Read-only but for superusers: the workflow changes state through the pages and the API
    (logged). Opening a record with its personal data in full is logged in the application's
    access log too."""

    list_display = [
        "reference",
        "applicant_name",
        "resident_id",
        "category",
        "competent_centre",
        "state",
        "submitted_at",
        "decision_due",
    ]
    list_filter = ["state", "channel", "category", "competent_centre"]
    search_fields = ["reference"]
    raw_id_fields = ["applicant", "consultation", "lawyer"]
    readonly_fields = ["state"]
    inlines = [NoteInline, WorkflowLogInline, EvidenceInline]
    list_select_related = ["competent_centre"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        app = getattr(response, "context_data", {}).get("original") if response else None
        if request.method == "GET" and app is not None:
            services.log_access(app, request.user, channel="admin")
        return response


@admin.register(Consultation)
class ConsultationAdmin(ScopedAdmin):
    list_display = [
        "reference",
        "handled_at",
        "topic",
        "caller_phone",
        "duration_seconds",
        "handled_by",
    ]
    list_filter = ["topic"]
    search_fields = ["reference"]
    raw_id_fields = ["handled_by"]


@admin.register(AccessLog)
class AccessLogAdmin(ScopedAdmin):
    list_display = ["application", "user", "at", "channel"]
    raw_id_fields = ["application", "user"]

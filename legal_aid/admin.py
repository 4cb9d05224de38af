"""The legal-aid admin, on the policies of ``legal_aid.access`` (ADR 0080): staff list and open
only their centres' applications and consultations, read-only (workflow records change through
the services; superusers alone by hand); identity numbers and mobiles show masked, in full only to
the handling centre's staff, and that view is logged. Reference data keeps its history. Searches
go by reference (a name or a mobile in the search box would end up in the URL)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.access.admin import ReadOnlyInline, ScopedAdmin, ScopedInline
from portal.workflow.admin import WorkflowLogInline

from . import services
from .models import (
    AccessLog,
    Body,
    CaseOffer,
    Category,
    Centre,
    Consultation,
    DutyRota,
    Evidence,
    HardshipStandard,
    LawFirm,
    Lawyer,
    LegalAidApplication,
    ProgressNote,
    RotaEntry,
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


@admin.register(HardshipStandard)
class HardshipStandardAdmin(ScopedAdmin):
    """The economic-hardship standard per region and period (ADR 0107): what the test applies
    on an application's date."""

    list_display = [
        "region",
        "basis",
        "amount",
        "minimum_living_standard",
        "multiple",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["basis", "region"]


@admin.register(StaffMembership)
class StaffMembershipAdmin(ScopedAdmin):
    """Bindings are granted by administrators, never by the person they bind."""

    list_display = ["user", "centre", "role"]
    list_filter = ["role", "centre"]
    raw_id_fields = ["user"]


class LawyerForm(forms.ModelForm):
    """Categories as boxes to tick and languages as a short list, not JSON typed by hand."""

    categories = forms.MultipleChoiceField(
        label=_("categories of law"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every category."),
    )
    languages = forms.CharField(
        label=_("languages"),
        required=False,
        help_text=_("Besides Mandarin, separated by commas, e.g. “en, ko”."),
    )

    class Meta:
        model = Lawyer
        fields = [
            "centre",
            "name",
            "licence_number",
            "firm",
            "law_firm",
            "phone",
            "user",
            "categories",
            "languages",
            "capacity",
            "hotline_duty",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["languages"] = ", ".join(self.instance.languages or [])

    def clean_languages(self) -> list[str]:
        text = self.cleaned_data.get("languages") or ""
        return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]


@admin.register(Lawyer)
class LawyerAdmin(ScopedAdmin):
    form = LawyerForm
    list_display = ["name", "firm", "centre", "phone", "capacity", "hotline_duty", "is_active"]
    list_filter = ["centre", "hotline_duty", "is_active"]
    search_fields = ["name", "licence_number", "firm"]
    raw_id_fields = ["user"]


@admin.register(LawFirm)
class LawFirmAdmin(ScopedAdmin):
    list_display = ["name", "phone"]
    search_fields = ["name"]


class RotaEntryInline(ScopedInline):
    model = RotaEntry
    fields = ["position", "lawyer", "weight", "shift", "days"]
    raw_id_fields = ["lawyer"]
    extra = 1


@admin.register(DutyRota)
class DutyRotaAdmin(ScopedAdmin):
    """Who is on the 12348 line by day and night, working days and rest days (the portal's
    calendar says which is which), and who takes each centre's granted cases (ADR 0106)."""

    list_display = ["name", "kind", "centre", "day_starts", "night_starts", "is_active"]
    list_filter = ["kind", "is_active", "centre"]
    inlines = [RotaEntryInline]


class OfferInline(ReadOnlyInline):
    model = CaseOffer
    fields = ["lawyer", "state", "offered_at", "respond_by", "answered_at", "reason"]
    readonly_fields = fields


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
    inlines = [NoteInline, OfferInline, WorkflowLogInline, EvidenceInline]
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

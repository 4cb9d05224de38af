"""The cases app in the admin, on the policies of :mod:`approvals.access`.

Staff see the cases they work (their acceptance point's, their department's), read-only, with the
applicant's identity number and mobile in full (the view is recorded); everybody else who may see
a case sees them masked. Only a superuser changes a case by hand, and nobody deletes one. Only
administrators keep acceptance points and bind staff to them, and never bind themselves.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from portal.access import policy_for
from portal.access.admin import ReadOnlyInline, ScopedAdmin, ScopedInline
from portal.workflow import write_log
from portal.workflow.admin import WorkflowLogInline

from .models import (
    EDITED_BY_HAND,
    AcceptancePoint,
    ActorRole,
    Case,
    CaseMaterial,
    HandOff,
    PointStaff,
    SmartCheck,
    SmartItem,
)


def _binding_form(base: type[forms.ModelForm], request) -> type[forms.ModelForm]:
    """The binding form of ``request.user``: it refuses to bind the user who fills it in."""

    class BindingForm(base):
        def clean(self):
            cleaned = super().clean()
            user = cleaned.get("user")
            if user is not None and not policy_for(PointStaff).may_bind(request.user, user.pk):
                raise ValidationError(
                    {"user": _("Another administrator binds you to an acceptance point.")}
                )
            return cleaned

    return BindingForm


class PointStaffInline(ScopedInline):
    model = PointStaff
    raw_id_fields = ["user"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = _binding_form(formset.form, request)
        return formset


@admin.register(AcceptancePoint)
class AcceptancePointAdmin(ScopedAdmin):
    list_display = ["code", "name", "kind", "region", "department", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["code", "name", "name_en"]
    raw_id_fields = ["department"]
    inlines = [PointStaffInline]


@admin.register(PointStaff)
class PointStaffAdmin(ScopedAdmin):
    list_display = ["user", "point"]
    list_select_related = ["user", "point"]
    list_filter = ["point__region"]
    search_fields = ["user__username", "user__real_name", "point__code", "point__name"]
    raw_id_fields = ["user"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _binding_form(super().get_form(request, obj, change=change, **kwargs), request)


class HandOffInline(ReadOnlyInline):
    model = HandOff
    fields = ["from_point", "to_department", "sent_by", "sent_at", "received_by", "received_at"]
    readonly_fields = fields


class MaterialInline(ReadOnlyInline):
    model = CaseMaterial
    fields = ["name", "kind", "file", "size", "shared_record", "committed_at"]
    readonly_fields = fields


def _differs(form, name: str) -> bool:
    """Did the field really change (a JSON field reports ``{}`` posted again as a change)?"""
    before, after = form.initial.get(name), form.cleaned_data.get(name)
    return getattr(after, "pk", after) != getattr(before, "pk", before)


@admin.register(Case)
class CaseAdmin(ScopedAdmin):
    list_display = [
        "reference",
        "item",
        "applicant_name",
        "applicant_id_number",
        "department",
        "status",
        "due_on",
        "overdue",
        "channel",
        "accepting_point",
    ]
    list_filter = ["status", "overdue", "channel", "department__level", "department"]
    list_select_related = ["item", "department", "accepting_point"]
    # Searched by reference only: a name or identity number in ``?q=`` would reach access logs.
    search_fields = ["reference"]
    date_hierarchy = "submitted_at"
    ordering = ["due_on", "id"]
    show_full_result_count = False
    raw_id_fields = ["item", "applicant_user", "accepting_point", "department"]
    fieldsets = [
        (None, {"fields": ["reference", "item", "channel", "accepting_point", "department"]}),
        (
            _("Applicant"),
            {
                "fields": [
                    "applicant_kind",
                    "applicant_name",
                    "applicant_id_number",
                    "applicant_mobile",
                    "applicant_user",
                ]
            },
        ),
        (
            _("Workflow"),
            {
                "fields": [
                    "status",
                    "submitted_at",
                    "accepted_on",
                    "due_on",
                    "decided_at",
                    "closed_at",
                    "materials_due_on",
                    "missing_materials",
                    "materials_overdue_on",
                    "paused_on",
                    "paused_days",
                    "returned_from",
                    "overdue",
                    "reasons",
                    "delivery",
                    "note",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
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
    inlines = [MaterialInline, HandOffInline, WorkflowLogInline]

    def has_add_permission(self, request):
        # Cases are created through the application pages, the API or proactive approvals.
        return False

    def save_model(self, request, obj, form, change):
        """A superuser's correction by hand goes into the case's own log too (who, when, which
        fields), next to the admin's log entry."""
        super().save_model(request, obj, form, change)
        changed = [f for f in form.changed_data if _differs(form, f)]
        if change and changed:
            write_log(
                "case",
                obj,
                EDITED_BY_HAND,
                source=obj.status,
                target=obj.status,
                user=request.user,
                role=ActorRole.ADMINISTRATOR,
                note=", ".join(sorted(changed)),
            )


class SmartCheckInline(ScopedInline):
    """The item's smart-approval conditions; a check whose operator does not fit what it looks
    at, or whose value cannot be read, is refused with the form's error (SmartCheck.clean)."""

    model = SmartCheck
    fields = ["position", "field", "operator", "value", "message", "message_en"]


@admin.register(SmartItem)
class SmartItemAdmin(ScopedAdmin):
    """Items with smart approval (智能审批) and their checks: the item is kept in the catalogue,
    its conditions here (by the staff of its department, see approvals.access)."""

    list_display = ["code", "name", "department", "check_count"]
    list_select_related = ["department"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "department", "smart_approval"]
    readonly_fields = fields
    inlines = [SmartCheckInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(smart_approval=True)
            .annotate(checks=Count("smart_checks"))
        )

    @admin.display(description=_("checks"), ordering="checks")
    def check_count(self, obj) -> int:
        return obj.checks

    def has_add_permission(self, request):
        # Items are added in the catalogue; smart approval is switched on there.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

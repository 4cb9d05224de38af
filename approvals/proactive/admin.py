"""Admin: the company register, certificates, rules (with a dry run before activation), events,
offers and shipments. Staff review proactive cases in the cases admin (approvals).

Every admin follows the policies of ``access.py`` (ScopedAdmin): staff see their department's
records only; certificates, events, offers and shipments are read-only for all but superusers
(they change through their services); offers' tokens (the links' secret) are never shown."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from portal.access.admin import ReadOnlyInline, ScopedAdmin, ScopedInline

from . import services
from .models import (
    LICENCE_FIELD_LABELS,
    Certificate,
    CertificateType,
    Company,
    ContactPerson,
    CourierEvent,
    LicenceEvent,
    Offer,
    Person,
    ProactiveRule,
    Shareholder,
    Shipment,
)


class ShareholderInline(ScopedInline):
    model = Shareholder


class ContactInline(ScopedInline):
    model = ContactPerson
    raw_id_fields = ["user"]


@admin.register(Company)
class CompanyAdmin(ScopedAdmin):
    list_display = ["uscc", "name", "legal_representative", "district", "status"]
    list_filter = ["status", "type", "district"]
    search_fields = ["uscc", "name"]
    inlines = [ShareholderInline, ContactInline]
    list_select_related = ["district"]


class PersonContactInline(ScopedInline):
    model = ContactPerson
    fk_name = "person"
    fields = ["role", "name", "mobile", "user"]
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    """The person register (ADR 0111): people holding certificates in their own name."""

    list_display = ["resident_id", "name", "district", "status"]
    list_filter = ["status", "district"]
    # no search box: a resident ID typed there would end in the URL and the logs (README, Roles)
    inlines = [PersonContactInline]
    list_select_related = ["district"]


@admin.register(CertificateType)
class CertificateTypeAdmin(ScopedAdmin):
    list_display = ["code", "name", "holder", "item", "validity_years", "legal_basis"]
    list_filter = ["holder"]
    search_fields = ["code", "name"]
    raw_id_fields = ["item"]


@admin.register(Certificate)
class CertificateAdmin(ScopedAdmin):
    list_display = ["number", "type", "company", "person", "grade", "expires_on", "status"]
    list_filter = ["status", "type"]
    search_fields = ["number", "company__name", "company__uscc"]
    raw_id_fields = ["company", "person", "supersedes"]
    list_select_related = ["type", "company", "person"]
    readonly_fields = ["verification_code"]


class RuleForm(forms.ModelForm):
    fields = forms.MultipleChoiceField(
        label=_("licence fields"),
        choices=list(LICENCE_FIELD_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ProactiveRule
        fields = [
            "name",
            "item",
            "trigger",
            "fields",
            "days",
            "certificate_types",
            "regions",
            "valid_from",
            "valid_to",
            "message",
            "identity_level",
            "response_days",
            "reminder_after_days",
            "active",
        ]


@admin.register(ProactiveRule)
class ProactiveRuleAdmin(ScopedAdmin):
    form = RuleForm
    list_display = ["name", "item", "trigger", "days", "valid_from", "valid_to", "active"]
    list_filter = ["active", "trigger"]
    search_fields = ["name", "item__name"]
    filter_horizontal = ["certificate_types", "regions"]
    raw_id_fields = ["item"]
    actions = ["dry_run", "activate", "deactivate"]

    @admin.action(description=_("Dry run: who would get an offer, by district"))
    def dry_run(self, request, queryset):
        results = [services.dry_run(rule) for rule in queryset[:20]]
        return TemplateResponse(
            request,
            "proactive/admin/dry_run.html",
            {
                **self.admin_site.each_context(request),
                "results": results,
                "title": _("Dry run"),
                "opts": self.model._meta,
            },
        )

    @admin.action(description=_("Activate (after a dry run)"), permissions=["change"])
    def activate(self, request, queryset):
        count = self._set_active(request, queryset, True)
        self.message_user(request, _("%d rule(s) activated.") % count, messages.SUCCESS)

    @admin.action(description=_("Deactivate"), permissions=["change"])
    def deactivate(self, request, queryset):
        count = self._set_active(request, queryset, False)
        self.message_user(request, _("%d rule(s) deactivated.") % count, messages.SUCCESS)

    def _set_active(self, request, queryset, active: bool) -> int:
        """Each rule the user may change, saved one by one so the history records who switched
        it and when."""
        count = 0
        for rule in queryset.filter(active=not active):
            if not self.has_change_permission(request, rule):
                continue
            rule.active = active
            rule.save(update_fields=["active", "updated_at"])
            count += 1
        return count


@admin.register(LicenceEvent)
class LicenceEventAdmin(ScopedAdmin):
    list_display = ["event_id", "uscc", "changed_on", "received_at"]
    search_fields = ["event_id", "uscc"]
    date_hierarchy = "received_at"
    raw_id_fields = ["company"]


@admin.register(Offer)
class OfferAdmin(ScopedAdmin):
    list_display = ["id", "company", "item", "reason", "status", "deadline", "created_at"]
    list_filter = ["status", "reason", "item"]
    search_fields = ["company__name", "company__uscc", "certificate__number"]
    raw_id_fields = ["certificate", "company", "rule", "event", "case", "new_certificate"]
    list_select_related = ["company", "item"]
    readonly_fields = ["status"]
    exclude = ["token"]  # the secret of the offer's links: never shown


class CourierEventInline(ReadOnlyInline):
    model = CourierEvent
    fields = ["event_id", "status", "received_at", "payload"]
    readonly_fields = ["event_id", "status", "received_at", "payload"]


class FailedOrderFilter(admin.SimpleListFilter):
    """Shipments staff must look at: the order could not be placed, or the delivery failed."""

    title = _("courier problems")
    parameter_name = "problem"

    def lookups(self, request, model_admin):
        return [
            ("order_failed", _("Order could not be placed")),
            ("failed", _("Delivery failed")),
            ("retrying", _("Order being retried")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value in ("order_failed", "failed"):
            return queryset.filter(status=value)
        if value == "retrying":
            return queryset.filter(status="created", order_tries__gt=0)
        return queryset


@admin.register(Shipment)
class ShipmentAdmin(ScopedAdmin):
    list_display = [
        "case_reference",
        "tracking_number",
        "status",
        "courier",
        "attempt",
        "order_tries",
        "order_error",
        "created_at",
        "delivered_at",
    ]
    list_filter = [FailedOrderFilter, "status", "kind"]
    search_fields = ["tracking_number", "case_reference"]
    readonly_fields = ["status"]
    raw_id_fields = ["offer"]
    inlines = [CourierEventInline]


from .registers import admin as registers_admin  # noqa: E402, F401  (register imports, ADR 0109)

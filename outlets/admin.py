"""Administrators keep outlets, terminals, hours and managers here; an outlet manager sees their
own outlets read-only (their lists they edit on the manager pages). Published lists are read-only
for everybody. Every admin asks ``outlets.access``; outlets, hours, terminals and bindings keep
their history."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from portal.access.admin import ReadOnly, ReadOnlyInline, ScopedAdmin, ScopedInline

from . import services
from .models import (
    ItemListEntry,
    ItemListVersion,
    OpeningHours,
    Outlet,
    OutletManager,
    Terminal,
    VersionStatus,
)


class TerminalInline(ScopedInline):
    model = Terminal


class OpeningHoursInline(ScopedInline):
    model = OpeningHours


class OutletManagerInline(ScopedInline):
    """Bindings: the policy lets only administrators add, change or remove them."""

    model = OutletManager
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at"]


class VersionInline(ReadOnlyInline):
    model = ItemListVersion
    fields = ["number", "status", "effective_date", "entry_count", "published_by", "published_at"]
    readonly_fields = fields
    ordering = ["-number"]
    show_change_link = True


@admin.register(Outlet)
class OutletAdmin(ScopedAdmin):
    list_display = ["code", "name", "kind", "operator", "district", "status", "terminal_count"]
    list_filter = ["kind", "operator", "status", "district"]
    search_fields = ["code", "name", "address"]
    list_select_related = ["district"]
    inlines = [TerminalInline, OpeningHoursInline, OutletManagerInline, VersionInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "kind", "operator", "status"]}),
        (_("Where"), {"fields": ["district", "address", "latitude", "longitude", "phone"]}),
        (_("Opening"), {"fields": ["calendar", "closed_on_holidays"]}),
        (_("Accessibility"), {"fields": ["accessibility"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_terminal_count=Count("terminals"))

    @admin.display(description=_("terminals"), ordering="_terminal_count")
    def terminal_count(self, obj) -> int:
        return obj._terminal_count


@admin.register(Terminal)
class TerminalAdmin(ScopedAdmin):
    list_display = ["code", "outlet", "model", "location", "in_service"]
    list_filter = ["in_service", "outlet__operator"]
    search_fields = ["code", "outlet__name", "model"]
    list_select_related = ["outlet"]
    autocomplete_fields = ["outlet"]


class EntryInline(ReadOnlyInline):
    model = ItemListEntry
    fields = ["item", "terminal_codes"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item").prefetch_related("terminals")

    @admin.display(description=_("terminals"))
    def terminal_codes(self, obj) -> str:
        return ", ".join(t.code for t in obj.terminals.all()) or _("all terminals")


@admin.register(ItemListVersion)
class ItemListVersionAdmin(ReadOnly, ScopedAdmin):
    """Who published what and when, and which versions were withdrawn before their date.
    Read-only: lists are drafted and published on the manager pages and API; the one thing done
    here, withdrawing a scheduled version, goes through the same service (ADR 0102)."""

    list_display = [
        "outlet",
        "number",
        "status",
        "effective_date",
        "entry_count",
        "published_by",
        "published_at",
        "replaced_by",
    ]
    list_filter = ["status", "effective_date", "outlet__operator"]
    search_fields = ["outlet__code", "outlet__name", "published_by__username", "note"]
    list_select_related = ["outlet", "published_by", "replaced_by"]
    date_hierarchy = "published_at"
    inlines = [EntryInline]
    actions = ["withdraw"]
    readonly_fields = [
        "outlet",
        "status",
        "number",
        "effective_date",
        "published_at",
        "published_by",
        "note",
        "entry_count",
        "withdrawn_at",
        "withdrawn_by",
        "replaced_by",
        "created_at",
        "updated_at",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(status=VersionStatus.DRAFT)

    @admin.action(description=_("Withdraw the selected scheduled versions"))
    def withdraw(self, request, queryset):
        """Each through ``services.withdraw``: only versions not yet in effect, by their outlet's
        managers and administrators; a refused one is named with the reason."""
        done = 0
        for version in queryset.select_related("outlet").order_by("outlet", "number"):
            try:
                services.withdraw(version.outlet, version.number, user=request.user)
            except (ValidationError, PermissionDenied) as exc:
                reason = " ".join(getattr(exc, "messages", [str(exc)]))
                self.message_user(request, f"{version}: {reason}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, _("%d version(s) withdrawn.") % done, messages.SUCCESS)

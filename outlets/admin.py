"""Staff manage outlets, terminals, hours and managers here; published lists are read-only."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import (
    ItemListEntry,
    ItemListVersion,
    OpeningHours,
    Outlet,
    OutletManager,
    Terminal,
    VersionStatus,
)


class TerminalInline(admin.TabularInline):
    model = Terminal
    extra = 0


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class OutletManagerInline(admin.TabularInline):
    model = OutletManager
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at"]


class VersionInline(admin.TabularInline):
    model = ItemListVersion
    extra = 0
    can_delete = False
    fields = ["number", "status", "effective_date", "entry_count", "published_by", "published_at"]
    readonly_fields = fields
    ordering = ["-number"]
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
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
class TerminalAdmin(admin.ModelAdmin):
    list_display = ["code", "outlet", "model", "location", "in_service"]
    list_filter = ["in_service", "outlet__operator"]
    search_fields = ["code", "outlet__name", "model"]
    list_select_related = ["outlet"]
    autocomplete_fields = ["outlet"]


class EntryInline(admin.TabularInline):
    model = ItemListEntry
    extra = 0
    can_delete = False
    fields = ["item", "terminal_codes"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item").prefetch_related("terminals")

    @admin.display(description=_("terminals"))
    def terminal_codes(self, obj) -> str:
        return ", ".join(t.code for t in obj.terminals.all()) or _("all terminals")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ItemListVersion)
class ItemListVersionAdmin(admin.ModelAdmin):
    """Who published what and when. Read-only: lists are edited by outlet managers."""

    list_display = [
        "outlet",
        "number",
        "status",
        "effective_date",
        "entry_count",
        "published_by",
        "published_at",
    ]
    list_filter = ["status", "effective_date", "outlet__operator"]
    search_fields = ["outlet__code", "outlet__name", "published_by__username", "note"]
    list_select_related = ["outlet", "published_by"]
    date_hierarchy = "published_at"
    inlines = [EntryInline]
    readonly_fields = [
        "outlet",
        "status",
        "number",
        "effective_date",
        "published_at",
        "published_by",
        "note",
        "entry_count",
        "created_at",
        "updated_at",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=VersionStatus.PUBLISHED)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

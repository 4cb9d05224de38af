"""Staff pages for the one-thing bundles: a bundle with its items in order (administrators keep
them, as the rest of the catalogue's reference data; the history shows who changed what)."""

from __future__ import annotations

from django.contrib import admin

from portal.access.admin import ScopedAdmin, ScopedInline

from .models import Bundle, BundleItem


class BundleItemInline(ScopedInline):
    model = BundleItem
    fields = ["position", "item"]
    autocomplete_fields = ["item"]
    ordering = ["position", "id"]


@admin.register(Bundle)
class BundleAdmin(ScopedAdmin):
    list_display = ["code", "name", "name_en", "event_kind", "position", "is_active"]
    list_filter = ["event_kind", "is_active"]
    search_fields = ["code", "name", "name_en"]
    inlines = [BundleItemInline]

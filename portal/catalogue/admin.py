"""Staff pages for the catalogue: every model with search and filters, materials and list
entries inline on the item, and the all-or-nothing import of items from CSV/XLSX.

Every admin asks ``portal.catalogue.access``: administrators keep the catalogue; department staff
change their own department's items only (and cannot move one to another department). The history
view of each row shows who changed what, when, and the old values."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from portal.access.admin import ScopedAdmin, ScopedInline
from portal.catalogue import access, services
from portal.catalogue.forms import ImportForm
from portal.catalogue.models import (
    BasicService,
    Department,
    HandlingList,
    ListEntry,
    Material,
    Region,
    SearchSynonym,
    ServiceItem,
)


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ["code", "name", "name_en", "level", "parent", "jiaodong_member"]
    list_filter = ["level", "jiaodong_member"]
    search_fields = ["code", "name", "name_en"]
    list_select_related = ["parent"]


@admin.register(Department)
class DepartmentAdmin(ScopedAdmin):
    list_display = ["code", "credit_code", "name", "level", "region", "phone"]
    list_filter = ["level", "region"]
    search_fields = ["code", "credit_code", "name", "name_en"]
    list_select_related = ["region"]
    autocomplete_fields = ["parent"]


class MaterialInline(ScopedInline):
    model = Material
    fields = [
        "position", "name", "name_en", "required", "source", "commitment_text", "note", "note_en",
    ]  # fmt: skip


@admin.register(BasicService)
class BasicServiceAdmin(ScopedAdmin):
    """The basic catalogue (基本目录, ADR 0121): each service once, with its legal basis."""

    list_display = ["basic_code", "name", "kind", "domain", "competent_levels"]
    list_filter = ["kind", "domain"]
    search_fields = ["basic_code", "name", "name_en", "legal_basis"]
    fields = [
        "basic_code", "name", "name_en", "kind", "domain", "applicant_kind", "legal_basis",
        "legal_basis_en", "competent_levels",
    ]  # fmt: skip


class ListEntryInline(ScopedInline):
    model = ListEntry
    fields = ["handling_list", "added_on", "removed_on", "note"]


@admin.register(ServiceItem)
class ServiceItemAdmin(ScopedAdmin):
    list_display = [
        "code", "name", "department", "domain", "kind", "promised_limit_days",
        "self_service", "proactive", "is_active",
    ]  # fmt: skip
    list_filter = [
        "domain", "kind", "department__level", "proactive", "smart_approval",
        "missing_materials_allowed", "commitment", "self_service", "online", "is_active",
    ]  # fmt: skip
    search_fields = [
        "code", "former_code", "basic__basic_code", "name", "name_en", "keywords",
        "department__name",
    ]  # fmt: skip
    list_select_related = ["department"]
    autocomplete_fields = ["department", "basic"]
    readonly_fields = ["former_code"]
    inlines = [MaterialInline, ListEntryInline]
    change_list_template = "admin/catalogue/serviceitem/change_list.html"
    history_list_display = ["promised_limit_days", "legal_limit_days", "fee"]
    fieldsets = [
        (None, {"fields": ["code", "former_code", "basic", "name", "name_en", "domain", "kind",
                           "applicant_kind", "department", "description", "keywords",
                           "is_active"]}),
        (_("Time limits and fee"), {"fields": ["legal_limit_days", "promised_limit_days", "fee",
                                               "fee_note", "fee_note_en", "visits_required"]}),
        (_("Channels"), {"fields": ["online", "service_hall", "self_service", "mobile"]}),
        (_("Flags"), {"fields": ["smart_approval", "missing_materials_allowed", "commitment",
                                 "proactive", "popularity"]}),
    ]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not access.may_move_items(request.user):
            # department staff keep their own items: they cannot hand one to another department
            fields += [f for f in ("code", "basic", "department") if f not in fields]
        return fields

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="catalogue_serviceitem_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        result = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            result = services.import_items(upload, upload.name, user=request.user)
            if result.ok:
                self.message_user(
                    request,
                    _("Imported: %(created)d items created, %(updated)d updated.")
                    % {"created": result.created, "updated": result.updated},
                    messages.SUCCESS,
                )
                return redirect("admin:catalogue_serviceitem_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import service items"),
            "form": form,
            "result": result,
            "columns": services.COLUMNS,
            "changelist_url": reverse("admin:catalogue_serviceitem_changelist"),
        }
        return TemplateResponse(request, "admin/catalogue/serviceitem/import.html", context)


@admin.register(Material)
class MaterialAdmin(ScopedAdmin):
    list_display = ["name", "item", "required", "source"]
    list_filter = ["source", "required"]
    search_fields = ["name", "name_en", "item__code", "item__name"]
    list_select_related = ["item"]
    raw_id_fields = ["item"]


@admin.register(HandlingList)
class HandlingListAdmin(ScopedAdmin):
    list_display = ["name", "kind", "current_count"]
    search_fields = ["name", "name_en"]
    filter_horizontal = ["regions"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(current_count=Count("entries", filter=Q(entries__removed_on__isnull=True)))
        )

    @admin.display(description=_("items on the list"), ordering="current_count")
    def current_count(self, obj: HandlingList) -> int:
        return obj.current_count


@admin.register(ListEntry)
class ListEntryAdmin(ScopedAdmin):
    list_display = ["item", "handling_list", "added_on", "removed_on", "note"]
    list_filter = ["handling_list", "added_on", "removed_on"]
    search_fields = ["item__code", "item__name", "note"]
    list_select_related = ["item", "handling_list"]
    raw_id_fields = ["item"]
    date_hierarchy = "added_on"


@admin.register(SearchSynonym)
class SearchSynonymAdmin(ScopedAdmin):
    """Words and everyday phrases citizens type (生孩子, 开饭店, social security) and the
    catalogue's words for them; a change is searched with at once (ADR 0108)."""

    list_display = ["phrase", "expansions", "domain", "is_active", "note"]
    list_filter = ["is_active", "domain"]
    search_fields = ["phrase", "expansions", "note"]
    fields = ["phrase", "expansions", "domain", "is_active", "note"]

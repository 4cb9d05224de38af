"""Bundle applications in the admin: read-only (they change only through their service), each
with the cases it opened; the policy decides who sees which (approvals/bundles/access.py)."""

from __future__ import annotations

from django.contrib import admin

from portal.access.admin import ReadOnlyInline, ScopedAdmin

from .models import BundleApplication, BundleCase


class BundleCaseInline(ReadOnlyInline):
    model = BundleCase
    fields = ["position", "case"]
    readonly_fields = fields


@admin.register(BundleApplication)
class BundleApplicationAdmin(ScopedAdmin):
    list_display = ["reference", "bundle", "applicant_name", "applicant_id_number", "submitted_at"]
    list_filter = ["bundle"]
    search_fields = ["reference"]  # by reference only: no name or identity number typed in
    list_select_related = ["bundle"]
    readonly_fields = [
        "reference", "bundle", "applicant_kind", "applicant_id_number", "applicant_name",
        "applicant_mobile", "applicant_user", "submitted_at", "note",
    ]  # fmt: skip
    exclude = ["cases"]
    inlines = [BundleCaseInline]

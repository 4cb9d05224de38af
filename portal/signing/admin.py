from django.contrib import admin

from portal.access.admin import ReadOnly, ScopedAdmin

from .models import IssuedDocument


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnly, ScopedAdmin):
    """The register is written by the services only: read-only here."""

    list_display = ("code", "kind", "subject", "authority_name", "status", "issued_at")
    list_filter = ("kind", "status", "development_key")
    search_fields = ("=code", "=subject", "=sha256")
    readonly_fields = [f.name for f in IssuedDocument._meta.fields]

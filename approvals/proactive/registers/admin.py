"""Admin: administrators upload a register file; the import runs in django-q2 and its page shows
the progress, the counts and the bad rows (the first 1,000). The policy is the default one:
administrators only (portal.access)."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from portal.access.admin import ScopedAdmin
from portal.accounts.permissions import is_administrator

from .models import ImportFormat, ImportStatus, RegisterImport


class UploadForm(forms.ModelForm):
    class Meta:
        model = RegisterImport
        fields = ["register", "mode", "format", "encoding", "file"]
        help_texts = {
            "file": _(
                "CSV with a header row or JSON Lines, with the columns of docs/registers.md."
            ),
            "mode": _(
                "Full: the whole register (rows it leaves out are marked deleted). "
                "Incremental: only the rows changed since the last file."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, value in (("mode", "full"), ("format", "csv"), ("encoding", "utf-8")):
            if name in self.fields:
                self.fields[name].initial = value

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            suffix = Path(upload.name).suffix.lower()
            if suffix not in (".csv", ".jsonl", ".ndjson", ".json", ".txt"):
                self.add_error("file", _("Upload a .csv or .jsonl file."))
            elif data.get("format") == ImportFormat.CSV and suffix in (".jsonl", ".ndjson"):
                self.add_error("format", _("The file looks like JSON Lines, not CSV."))
        return data


@admin.register(RegisterImport)
class RegisterImportAdmin(ScopedAdmin):
    form = UploadForm
    list_display = [
        "created_at",
        "register",
        "file_name",
        "mode",
        "status",
        "progress",
        "rows_read",
        "inserted",
        "updated",
        "deleted",
        "error_count",
        "offers_created",
    ]
    list_filter = ["register", "status", "mode"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "register",
        "mode",
        "format",
        "encoding",
        "file_name",
        "sha256",
        "size",
        "status",
        "progress",
        "message",
        "rows_read",
        "inserted",
        "updated",
        "unchanged",
        "deleted",
        "offers_created",
        "error_count",
        "problems",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
    ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return UploadForm.Meta.fields
        return self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False  # an import is a record of what happened: uploaded, then only read

    def has_view_permission(self, request, obj=None):
        # administrators only: department staff hold the app's view permission (their roles)
        return is_administrator(request.user) and super().has_view_permission(request, obj)

    @admin.display(description=_("progress"))
    def progress(self, obj: RegisterImport) -> str:
        percent = obj.progress_percent
        label = obj.get_status_display()
        if obj.finished:
            return label
        return format_html(
            '<progress max="100" value="{}" aria-label="{}">{} %</progress> {} % · {}',
            percent,
            label,
            percent,
            percent,
            _("reload the page to follow it"),
        )

    @admin.display(description=_("bad rows (the first 1,000)"))
    def problems(self, obj: RegisterImport) -> str:
        if not obj.errors:
            return "—"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((e["line"], e["field"] or "—", e["message"]) for e in obj.errors),
        )
        return format_html(
            "<table><caption>{}</caption><thead><tr><th scope='col'>{}</th>"
            "<th scope='col'>{}</th><th scope='col'>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("%(shown)s of %(total)s bad rows")
            % {"shown": len(obj.errors), "total": obj.error_count},
            _("line"),
            _("column"),
            _("problem"),
            rows,
        )

    def save_model(self, request, obj: RegisterImport, form, change):
        obj.created_by = request.user
        obj.file_name = Path(form.cleaned_data["file"].name).name
        obj.status = ImportStatus.QUEUED
        if not obj.format:
            obj.format = "jsonl" if obj.file_name.lower().endswith((".jsonl", ".ndjson")) else "csv"
        super().save_model(request, obj, form, change)
        pk = obj.pk

        def enqueue() -> None:
            from django_q.tasks import async_task

            async_task(
                "approvals.proactive.registers.tasks.run_import",
                pk,
                task_name=f"register-import-{pk}",
                timeout=3600,
            )

        transaction.on_commit(enqueue)

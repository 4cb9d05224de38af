"""The record of a register import (ADR 0109): which file (by its SHA-256), how far it got, what it
changed, and the bad rows it found. Part of the ``proactive`` app (imported by its models)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Register(models.TextChoices):
    COMPANIES = "companies", _("Company register")
    CERTIFICATES = "certificates", _("Certificate register")


class ImportMode(models.TextChoices):
    FULL = "full", _("Full (the whole register)")
    INCREMENTAL = "incremental", _("Incremental (changed rows only)")


class ImportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    JSONL = "jsonl", "JSON Lines"


class ImportEncoding(models.TextChoices):
    UTF8 = "utf-8", "UTF-8"
    GB18030 = "gb18030", "GB18030"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    READING = "reading", _("Reading and checking the rows")
    MERGING = "merging", _("Writing to the register")
    DONE = "done", _("Imported")
    REJECTED = "rejected", _("Rejected: bad rows, nothing stored")
    SKIPPED = "skipped", _("Imported before: nothing changed")
    FAILED = "failed", _("Failed")


def register_upload_to(instance: RegisterImport, filename: str) -> str:
    return f"registers/{instance.register}/{filename}"


class RegisterImport(models.Model):
    register = models.CharField(_("register"), max_length=16, choices=Register.choices)
    mode = models.CharField(_("mode"), max_length=16, choices=ImportMode.choices)
    format = models.CharField(_("format"), max_length=8, choices=ImportFormat.choices)
    encoding = models.CharField(_("encoding"), max_length=16, choices=ImportEncoding.choices)
    file = models.FileField(_("file"), upload_to=register_upload_to, max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=300)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    size = models.BigIntegerField(_("size (bytes)"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    bytes_read = models.BigIntegerField(_("bytes read"), default=0)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    inserted = models.PositiveIntegerField(_("rows added"), default=0)
    updated = models.PositiveIntegerField(_("rows changed"), default=0)
    unchanged = models.PositiveIntegerField(_("rows unchanged"), default=0)
    deleted = models.PositiveIntegerField(_("rows marked deleted"), default=0)
    offers_created = models.PositiveIntegerField(_("offers made"), default=0)
    error_count = models.PositiveIntegerField(_("bad rows"), default=0)
    # The first 1,000 problems: {"line": n, "field": name, "message": text}.
    errors = models.JSONField(_("problems found"), default=list, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        app_label = "proactive"
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The same file is imported once: a second run finds this record and changes nothing.
            models.UniqueConstraint(
                fields=["register", "sha256"],
                condition=Q(status="done"),
                name="register_import_file_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_register_display()} · {self.file_name}"

    @property
    def finished(self) -> bool:
        return self.status in (
            ImportStatus.DONE,
            ImportStatus.REJECTED,
            ImportStatus.FAILED,
            ImportStatus.SKIPPED,
        )

    @property
    def progress_percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.size:
            return 0
        return min(99, int(100 * self.bytes_read / self.size))

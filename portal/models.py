"""Models of the portal core that belong to no sub-app."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CalendarDay(models.Model):
    """A staff-entered correction to the official calendar: a public holiday or an adjusted
    working day (调休) that the bundled calendar does not know yet (e.g. next year's notice)."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=64, blank=True, help_text=_("e.g. 春节"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar correction")
        verbose_name_plural = _("calendar corrections")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class PersonalDataView(models.Model):
    """Staff saw a record's personal data in full (identity number, mobile): who, what, when,
    where. Written by :func:`portal.audit.record_view`; never changed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("kind of record"), on_delete=models.CASCADE
    )
    object_id = models.CharField(_("record"), max_length=64)
    label = models.CharField(_("record"), max_length=200, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    channel = models.CharField(_("channel"), max_length=16)

    class Meta:
        verbose_name = _("view of personal data")
        verbose_name_plural = _("views of personal data")
        ordering = ["-at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="pdv_record_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.label} {self.at:%Y-%m-%d %H:%M}"


def draft_upload_to(instance: "UploadDraft", filename: str) -> str:
    """A random name under ``drafts/``: nothing of the applicant's file name in the path."""
    import uuid

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"drafts/{timezone.localdate():%Y/%m/%d}/{uuid.uuid4().hex}.{ext[:8]}"


class UploadDraft(models.Model):
    """A file chosen on a form that came back with errors, kept so that the applicant need not
    choose it again: tied to the signed-in user (or the visitor's session) and to the form,
    private (served by no URL) and removed when the form goes through or after
    ``UPLOAD_DRAFT_HOURS`` (:func:`portal.uploads.purge_expired_drafts`). ADR 0103."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    session_key = models.CharField(_("session"), max_length=40, blank=True)
    form = models.CharField(_("form"), max_length=120)
    field = models.CharField(_("field"), max_length=120)
    file = models.FileField(_("file"), upload_to=draft_upload_to, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("kept at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("kept upload")
        verbose_name_plural = _("kept uploads")
        indexes = [
            models.Index(fields=["form", "user", "session_key"], name="upload_draft_owner_idx")
        ]

    def __str__(self) -> str:
        return f"{self.form} {self.field} {self.original_name}"

"""The one log every workflow writes: a row per step taken (and per record written outside the
steps, e.g. a case's submission), attached to its record by content type and object id."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.languages import in_reading_language


class WorkflowLog(models.Model):
    workflow = models.CharField(_("workflow"), max_length=40)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    record = GenericForeignKey("content_type", "object_id")
    step = models.CharField(_("step"), max_length=40)
    source = models.CharField(_("from"), max_length=40, blank=True)
    target = models.CharField(_("to"), max_length=40)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    by_role = models.CharField(_("role"), max_length=20, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    note_translations = models.JSONField(
        _("note in other languages"),
        default=dict,
        blank=True,
        help_text=_(
            "The portal's own wording of the note in its other languages, by language code (a "
            "note typed by a person has none): each reader sees the note in their language."
        ),
    )
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("workflow log entry")
        verbose_name_plural = _("workflow log")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"], name="workflow_log_record_idx")
        ]

    def __str__(self) -> str:
        return f"{self.workflow} {self.object_id}: {self.source} → {self.target}"

    @property
    def note_text(self) -> str:
        """The note in the reader's language, where the portal wrote it (ADR 0125)."""
        return in_reading_language(self.note, self.note_translations)

    # ----- labels from the table -------------------------------------------------------------

    @property
    def table(self):
        from .registry import _WORKFLOWS

        return _WORKFLOWS.get(self.workflow)

    @property
    def target_label(self) -> str:
        table = self.table
        return table.state_label(self.target) if table else self.target

    @property
    def source_label(self) -> str:
        table = self.table
        return table.state_label(self.source) if table and self.source else self.source

    @property
    def step_label(self) -> str:
        table = self.table
        return table.step_label(self.step) if table else self.step

    @property
    def changes_state(self) -> bool:
        """Does the entry read as a change of state ("step → new state")? Not when the state
        stays (a note, a record written in place), nor when the step's label already names the
        state it leads to (submitted → "已提交", approve → "准予许可"): the step's label alone,
        never "已提交 → 已提交" (issue 14 point 10)."""
        return self.source != self.target and self.step_label != self.target_label

    @property
    def role_label(self) -> str:
        table = self.table
        return table.role_label(self.by_role) if table and self.by_role else self.by_role

    # The names the case pages and API used before the shared log.
    action = property(lambda self: self.step)
    action_label = step_label

"""The online form's answers between its steps, kept for the signed-in user."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationDraft(models.Model):
    """The multi-step form's answers so far, kept between steps for the signed-in user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="legal_aid_drafts",
    )
    data = models.JSONField(_("answers"), default=dict, blank=True)
    step = models.PositiveSmallIntegerField(_("furthest step reached"), default=1)
    consultation = models.ForeignKey(
        "Consultation",
        verbose_name=_("12348 consultation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="drafts",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("application draft")
        verbose_name_plural = _("application drafts")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"draft {self.pk} of {self.user}"


# ---------------------------------------------------------------------------------------------

"""Who opened an application's full record: every opening by staff (page, API, file, admin)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .application import LegalAidApplication


class AccessLog(models.Model):
    """Every opening of a full application record by staff."""

    application = models.ForeignKey(
        LegalAidApplication,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="access_logs",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=8, default="page")

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.application_id} {self.at:%Y-%m-%d %H:%M}"

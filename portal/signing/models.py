"""The register of every document the portal issued in an authority's name."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# no 0/O, 1/I/L: codes are typed from paper
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_document_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(12))


class DocumentStatus(models.TextChoices):
    CURRENT = "current", pgettext_lazy("document status", "Current")
    SUPERSEDED = "superseded", pgettext_lazy("document status", "Superseded")
    REVOKED = "revoked", pgettext_lazy("document status", "Revoked")


class IssuedDocument(models.Model):
    """One signed PDF: its verification code, what it is, who issued it, the SHA-256 of the
    signed bytes and whether it still stands. Certificates, notices, decisions, legal-aid
    letters and outlet lists all register here through ``services.issue_document``."""

    code = models.CharField(_("verification code"), max_length=16, unique=True)
    kind = models.CharField(_("kind"), max_length=40)
    subject = models.CharField(
        pgettext_lazy("issued document", "subject"),
        max_length=120,
        help_text=_("What the document is about within its kind: a case reference, a number."),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    version = models.CharField(
        _("version"),
        max_length=64,
        blank=True,
        help_text=_("Which version of the subject it shows (e.g. a published list's number)."),
    )
    authority = models.CharField(_("authority code"), max_length=64)
    authority_name = models.CharField(_("authority"), max_length=200)
    development_key = models.BooleanField(_("signed with a development key"), default=False)
    sha256 = models.CharField(_("SHA-256 of the signed PDF"), max_length=64, db_index=True)
    file = models.FileField(_("signed PDF"), upload_to="signed/%Y/", blank=True)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DocumentStatus.choices,
        default=DocumentStatus.CURRENT,
    )
    replacement_code = models.CharField(_("replaced by (code)"), max_length=16, blank=True)
    superseded_on = models.DateField(_("superseded on"), null=True, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_at"]
        constraints = [
            # one current document per kind and subject: a second render of the same notice
            # returns the first, a new version supersedes it
            models.UniqueConstraint(
                fields=["kind", "subject"],
                condition=Q(status="current"),
                name="signing_one_current_document",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} ({self.code})"

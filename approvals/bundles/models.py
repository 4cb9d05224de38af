"""A bundle application groups the cases one submission opened, one per item of the bundle."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.validators import validate_visible_text

from ..models import ApplicantKind, Case


class BundleApplication(models.Model):
    """One application for a bundle (一事全办): the applicant once, and the cases it opened."""

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    bundle = models.ForeignKey(
        "catalogue.Bundle",
        verbose_name=_("one-thing bundle"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    applicant_kind = models.CharField(
        _("applicant kind"), max_length=16, choices=ApplicantKind.choices
    )
    applicant_id_number = models.CharField(_("applicant identity number"), max_length=18)
    applicant_name = models.CharField(
        _("applicant name"), max_length=128, validators=[validate_visible_text]
    )
    applicant_mobile = models.CharField(_("applicant mobile"), max_length=11, blank=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bundle_applications",
        db_index=False,  # bundle_app_applicant_idx starts with it
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    submission_key = models.CharField(
        _("submission key"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Identifies the form it was submitted from: posting the same form again finds this "
            "application instead of making another."
        ),
    )
    cases = models.ManyToManyField(
        Case, through="BundleCase", related_name="+", verbose_name=_("cases")
    )
    # not stored: True on the application found for a form posted a second time
    resubmitted: bool = False

    class Meta:
        app_label = "approvals"
        verbose_name = _("bundle application")
        verbose_name_plural = _("bundle applications")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(
                fields=["applicant_user", "submitted_at"], name="bundle_app_applicant_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("approvals:bundle_progress", args=[self.reference])


class BundleCase(models.Model):
    """A case opened by a bundle application, in the bundle's order."""

    application = models.ForeignKey(
        BundleApplication,
        verbose_name=_("bundle application"),
        on_delete=models.CASCADE,
        related_name="links",
    )
    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="bundle_link"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        app_label = "approvals"
        verbose_name = _("case of a bundle application")
        verbose_name_plural = _("cases of bundle applications")
        ordering = ["application", "position", "id"]

    def __str__(self) -> str:
        return f"{self.application} · {self.case}"

"""Reference data of legal aid: centres and branch centres, courts and other case-handling
bodies, the staff's centre bindings and the centres' lawyers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.validators import validate_visible_text


class CentreKind(models.TextChoices):
    CENTRE = "centre", _("Legal-aid centre")
    BRANCH = "branch", _("Branch centre")


class Centre(models.Model):
    """A legal-aid centre (法律援助中心) or branch centre (分中心)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128, validators=[validate_visible_text])
    name_en = models.CharField(
        _("English name"), max_length=200, blank=True, validators=[validate_visible_text]
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CentreKind.choices)
    region = models.ForeignKey(
        "catalogue.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent centre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="branches",
    )
    host = models.CharField(
        _("hosted by"),
        max_length=128,
        blank=True,
        help_text=_("For a branch centre: the law firm, office, notary or university hosting it."),
    )
    justice_bureau = models.CharField(
        _("justice bureau"),
        max_length=64,
        help_text=_("The justice bureau that set up the centre and decides objections."),
    )
    department = models.ForeignKey(
        "catalogue.Department",
        verbose_name=_("department for ratings"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The catalogue department that ratings of this centre's cases go to."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("legal-aid centre")
        verbose_name_plural = _("legal-aid centres")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(kind="centre"),
                name="legal_aid_one_centre_per_region",
                violation_error_message=_("A region has one legal-aid centre."),
            ),
            models.CheckConstraint(
                condition=Q(kind="centre", parent__isnull=True)
                | Q(kind="branch", parent__isnull=False),
                name="legal_aid_branch_has_parent",
                violation_error_message=_(
                    "A branch centre belongs to a centre; a centre does not."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BodyKind(models.TextChoices):
    INTERMEDIATE_COURT = "intermediate_court", _("Intermediate people's court")
    MARITIME_COURT = "maritime_court", _("Maritime court")
    BASIC_COURT = "basic_court", _("Basic people's court")
    PROCURATORATE = "procuratorate", _("Procuratorate")
    PUBLIC_SECURITY = "public_security", _("Public security bureau")
    ARBITRATION = "arbitration", _("Arbitration commission")
    LABOUR_ARBITRATION = "labour_arbitration", _("Labour dispute arbitration commission")
    MEDIATION = "mediation", _("Mediation body")
    ADMINISTRATIVE_REVIEW = "administrative_review", _("Administrative review body")


LITIGATION_BODY_KINDS = {
    BodyKind.INTERMEDIATE_COURT,
    BodyKind.MARITIME_COURT,
    BodyKind.BASIC_COURT,
    BodyKind.PROCURATORATE,
    BodyKind.PUBLIC_SECURITY,
}


class Body(models.Model):
    """A court or other case-handling or dispute-handling body (办案机关 / 争议处理机关)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128, validators=[validate_visible_text])
    name_en = models.CharField(
        _("English name"), max_length=200, blank=True, validators=[validate_visible_text]
    )
    kind = models.CharField(_("kind"), max_length=32, choices=BodyKind.choices, db_index=True)
    region = models.ForeignKey(
        "catalogue.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case-handling body")
        verbose_name_plural = _("case-handling bodies")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_litigation_body(self) -> bool:
        return self.kind in LITIGATION_BODY_KINDS


class StaffRole(models.TextChoices):
    STAFF = "staff", _("Centre staff")
    BUREAU = "bureau", _("Justice bureau officer")


class StaffMembership(models.Model):
    """Binds a legal-aid staff user to the centre they work for. A justice bureau officer
    decides objections against the centre (and its branches) and reads the statistics."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="legal_aid_membership",
    )
    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="staff"
    )
    role = models.CharField(
        _("role"), max_length=16, choices=StaffRole.choices, default=StaffRole.STAFF
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("legal-aid staff membership")
        verbose_name_plural = _("legal-aid staff memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.centre}"


class Lawyer(models.Model):
    """A lawyer (or legal-aid worker) who takes cases for a centre."""

    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="lawyers"
    )
    name = models.CharField(_("name"), max_length=64, validators=[validate_visible_text])
    licence_number = models.CharField(_("licence number"), max_length=17, unique=True)
    firm = models.CharField(_("law firm"), max_length=128, validators=[validate_visible_text])
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="legal_aid_lawyer",
    )
    law_firm = models.ForeignKey(
        "LawFirm",
        verbose_name=_("law firm (record)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lawyers",
    )
    categories = models.JSONField(
        _("categories of law"),
        default=list,
        blank=True,
        help_text=_("The categories the lawyer takes; none listed: every category."),
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_("Besides Mandarin, e.g. “en”, “ko”, “ja”, “ru” or “sign”."),
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        default=10,
        help_text=_("How many open legal-aid cases the lawyer takes at once."),
    )
    hotline_duty = models.BooleanField(_("answers the 12348 hotline"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lawyer")
        verbose_name_plural = _("lawyers")
        ordering = ["centre", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.firm})"


# ---------------------------------------------------------------------------------------------

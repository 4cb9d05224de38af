"""The economic-hardship standard (Legal Aid Law art. 34: each province sets it; Shandong
leaves the figure to the cities and districts): per region, valid from / to, either an amount
per person per month or a multiple of the local minimum living standard (低保). ADR 0107."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class StandardBasis(models.TextChoices):
    AMOUNT = "amount", _("An amount per person per month")
    MULTIPLE = "multiple", _("A multiple of the local minimum living standard")


class HardshipResult(models.TextChoices):
    """What the hardship test found on the application date."""

    NO_CONDITION = "no_condition", _("No hardship condition (art. 32)")
    CHECK_WAIVED = "check_waived", _("Exempt from the hardship check (art. 42)")
    MEETS = "meets", _("Within the hardship standard")
    EXCEEDS = "exceeds", _("Above the hardship standard")
    DECLARED = "declared", _("Self-declared with a commitment (art. 41)")


class HardshipStandard(models.Model):
    region = models.ForeignKey(
        "catalogue.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A district or county-level city, or the city (for districts without one)."),
    )
    basis = models.CharField(_("basis"), max_length=16, choices=StandardBasis.choices)
    amount = models.PositiveIntegerField(
        _("amount per person per month (yuan)"), null=True, blank=True
    )
    minimum_living_standard = models.PositiveIntegerField(
        _("minimum living standard per person per month (yuan)"), null=True, blank=True
    )
    multiple = models.DecimalField(
        _("multiple of the minimum living standard"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
    )
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(
        _("in force until"), null=True, blank=True, help_text=_("Inclusive.")
    )
    source = models.CharField(
        _("set by"), max_length=200, blank=True, help_text=_("The notice that sets the figure.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("economic-hardship standard")
        verbose_name_plural = _("economic-hardship standards")
        ordering = ["region", "-valid_from"]
        indexes = [models.Index(fields=["region", "valid_from"], name="la_hardship_region")]
        constraints = [
            models.CheckConstraint(
                condition=Q(basis="amount", amount__isnull=False)
                | Q(
                    basis="multiple",
                    minimum_living_standard__isnull=False,
                    multiple__isnull=False,
                ),
                name="la_hardship_basis_figures",
                violation_error_message=_(
                    "An amount basis needs the amount; a multiple needs the minimum living "
                    "standard and the multiple."
                ),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="la_hardship_period",
                violation_error_message=_("The standard must end on or after its first day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.valid_from}: {self.threshold} / {self.rule}"

    @property
    def threshold(self) -> int:
        """Yuan per person per month, whole yuan (a multiple is rounded half up)."""
        if self.basis == StandardBasis.AMOUNT:
            return int(self.amount or 0)
        figure = Decimal(self.minimum_living_standard or 0) * Decimal(self.multiple or 0)
        return int(figure.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def rule(self) -> str:
        """The rule in words, in the active language."""
        if self.basis == StandardBasis.AMOUNT:
            return gettext("%(amount)s yuan per person per month") % {"amount": self.amount}
        return gettext(
            "%(multiple)s times the minimum living standard of %(minimum)s yuan per person per "
            "month"
        ) % {
            "multiple": self.multiple.normalize() if self.multiple else "",
            "minimum": self.minimum_living_standard,
        }

    def covers(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def clean(self) -> None:
        super().clean()
        if not self.region_id or not self.valid_from:
            return
        overlapping = HardshipStandard.objects.filter(region_id=self.region_id).exclude(pk=self.pk)
        if self.valid_to is not None:
            overlapping = overlapping.filter(valid_from__lte=self.valid_to)
        overlapping = overlapping.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from)
        )
        if overlapping.exists():
            raise ValidationError(
                {"valid_from": _("Another standard of this region is in force in this period.")}
            )

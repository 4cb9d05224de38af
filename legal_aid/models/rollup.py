"""The statistics' rollup: the applications' figures summed per competent centre, category,
channel and month, at two grains of the local date of submission: the month (what a whole-month
period reads) and the day (what the days at the edges of a period read). ADR 0100. Kept by
database triggers on the applications table (legal_aid/rollups.py), so every writer keeps it
exact in its own transaction; read by legal_aid/statistics.py instead of a scan of every
application."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .reference import Centre


class Grain(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")


class ApplicationRollup(models.Model):
    grain = models.CharField(_("grain"), max_length=5, choices=Grain.choices)
    competent_centre = models.ForeignKey(
        Centre,
        verbose_name=_("competent centre"),
        on_delete=models.DO_NOTHING,  # a centre with applications is protected by them
        related_name="+",
    )
    category = models.CharField(_("category"), max_length=32)
    channel = models.CharField(_("channel"), max_length=16)
    # the application's month column (the by-month figures' key) ...
    month = models.CharField(_("month submitted"), max_length=7)
    # ... and the local day (day grain) or the first day of the local month (month grain) of
    # its submission time (what a period filters on, as the scan filtered on submitted_at)
    period = models.DateField(_("period"))

    applications = models.IntegerField(_("applications"), default=0)
    granted = models.IntegerField(_("granted"), default=0)
    refused = models.IntegerField(_("refused"), default=0)
    urgent = models.IntegerField(_("urgent"), default=0)
    aid_first = models.IntegerField(_("aid given first"), default=0)
    decided = models.IntegerField(_("decided"), default=0)
    decision_seconds = models.BigIntegerField(_("time to decide, summed (seconds)"), default=0)
    decisions_late = models.IntegerField(_("decided late"), default=0)
    assigned = models.IntegerField(_("assigned"), default=0)
    assignment_seconds = models.BigIntegerField(_("time to assign, summed (seconds)"), default=0)
    assignments_late = models.IntegerField(_("assigned late"), default=0)
    from_consultation = models.IntegerField(_("from a 12348 consultation"), default=0)
    closed = models.IntegerField(_("closed"), default=0)
    handling_seconds = models.BigIntegerField(_("time to close, summed (seconds)"), default=0)

    class Meta:
        verbose_name = _("application figures of a period")
        verbose_name_plural = _("application figures per period")
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "period", "competent_centre", "category", "channel", "month"],
                name="la_rollup_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.grain} {self.period} {self.category} {self.channel}: {self.applications}"


class RecipientRollup(models.Model):
    """The applications counted per recipient group, age band and sex (never listed by person),
    per competent centre and period, at the two grains (legal_aid/rollups.py)."""

    grain = models.CharField(_("grain"), max_length=5, choices=Grain.choices)
    period = models.DateField(_("period"))
    competent_centre = models.ForeignKey(
        Centre, verbose_name=_("competent centre"), on_delete=models.DO_NOTHING, related_name="+"
    )
    sex = models.CharField(_("sex"), max_length=1)
    age_band = models.CharField(_("age band"), max_length=8)
    recipient_group = models.CharField(_("recipient group"), max_length=16)
    applications = models.IntegerField(_("applications"), default=0)
    granted = models.IntegerField(_("granted"), default=0)
    refused = models.IntegerField(_("refused"), default=0)

    class Meta:
        verbose_name = _("recipient figures of a period")
        verbose_name_plural = _("recipient figures per period")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "grain",
                    "period",
                    "competent_centre",
                    "sex",
                    "age_band",
                    "recipient_group",
                ],
                name="la_recipient_rollup_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.grain} {self.period} {self.sex}/{self.age_band}/{self.recipient_group}"


class LawyerRollup(models.Model):
    """The assigned applications counted per lawyer, per competent centre and period (of
    submission), at the two grains (legal_aid/rollups.py)."""

    grain = models.CharField(_("grain"), max_length=5, choices=Grain.choices)
    period = models.DateField(_("period"))
    competent_centre = models.ForeignKey(
        Centre, verbose_name=_("competent centre"), on_delete=models.DO_NOTHING, related_name="+"
    )
    lawyer_id = models.IntegerField(_("lawyer"))
    assigned = models.IntegerField(_("assigned"), default=0)
    open = models.IntegerField(_("open"), default=0)
    closed = models.IntegerField(_("closed"), default=0)
    handling_seconds = models.BigIntegerField(_("time to close, summed (seconds)"), default=0)

    class Meta:
        verbose_name = _("lawyer figures of a period")
        verbose_name_plural = _("lawyer figures per period")
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "period", "competent_centre", "lawyer_id"],
                name="la_lawyer_rollup_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.grain} {self.period} lawyer {self.lawyer_id}: {self.assigned}"


class StatisticsVersion(models.Model):
    """One row: a number the database replaces, in the transaction of every statement that
    changes what the statistics read (applications, so the rollups, calls, centres, lawyers and
    firms), by one it never used before (triggers in legal_aid/statistics_version.py). The
    statistics are cached under it (legal_aid.statistics.cached_statistics): a change shows on
    the next request, however it was written (the ORM, a bulk UPDATE, SQL)."""

    number = models.BigIntegerField(_("number"), default=0)

    class Meta:
        verbose_name = _("statistics version")
        verbose_name_plural = _("statistics version")

    def __str__(self) -> str:
        return str(self.number)

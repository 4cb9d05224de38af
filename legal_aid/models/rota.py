"""Law firms, the duty rotas and the offers of granted cases to lawyers (ADR 0106).

- A rota is data staff edit in the admin: the 12348 hotline's (who is on duty by day, by night,
  on working days and on rest days and holidays, from ``portal.workdays``) and each centre's
  case rota (who takes its granted cases, with a weight).
- A granted application is offered to one lawyer at a time (:class:`CaseOffer`); the lawyer
  accepts or declines by a time limit; a decline or a timeout offers it to the next one."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.validators import validate_visible_text

from .reference import Centre, Lawyer


class LawFirm(models.Model):
    name = models.CharField(
        _("name"), max_length=128, unique=True, validators=[validate_visible_text]
    )
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("law firm")
        verbose_name_plural = _("law firms")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RotaKind(models.TextChoices):
    HOTLINE = "hotline", _("12348 hotline duty")
    CASES = "cases", _("Case assignment")


class Shift(models.TextChoices):
    ANY = "", _("Any time")
    DAY = "day", _("Day shift")
    NIGHT = "night", _("Night shift")


class DayKind(models.TextChoices):
    ANY = "", _("Every day")
    WORKING = "working", _("Working days")
    REST = "rest", _("Rest days and holidays")


class DutyRota(models.Model):
    name = models.CharField(_("name"), max_length=128, validators=[validate_visible_text])
    kind = models.CharField(_("kind"), max_length=16, choices=RotaKind.choices)
    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="rotas"
    )
    day_starts = models.TimeField(_("day shift starts"), default=datetime.time(8, 30))
    night_starts = models.TimeField(_("night shift starts"), default=datetime.time(17, 30))
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("duty rota")
        verbose_name_plural = _("duty rotas")
        ordering = ["centre", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class RotaEntry(models.Model):
    """A lawyer on a rota: on a case rota with a weight (a weight of 2 takes twice the cases of
    a weight of 1); on the hotline's for a shift and a kind of day."""

    rota = models.ForeignKey(
        DutyRota, verbose_name=_("rota"), on_delete=models.CASCADE, related_name="entries"
    )
    lawyer = models.ForeignKey(
        Lawyer, verbose_name=_("lawyer"), on_delete=models.CASCADE, related_name="rota_entries"
    )
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    shift = models.CharField(_("shift"), max_length=8, choices=Shift.choices, blank=True)
    days = models.CharField(_("days"), max_length=8, choices=DayKind.choices, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rota entry")
        verbose_name_plural = _("rota entries")
        ordering = ["rota", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rota", "lawyer", "shift", "days"],
                name="la_rota_entry_once",
                violation_error_message=_("This lawyer is on this rota for this shift already."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1),
                name="la_rota_entry_weight",
                violation_error_message=_("A weight is at least 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rota}: {self.lawyer}"


class OfferState(models.TextChoices):
    OFFERED = "offered", _("Awaiting the lawyer's answer")
    ACCEPTED = "accepted", _("Accepted by the lawyer")
    DECLINED = "declined", _("Declined by the lawyer")
    EXPIRED = "expired", _("Not answered in time")
    WITHDRAWN = "withdrawn", _("Withdrawn by the centre")


class CaseOffer(models.Model):
    """A granted application offered to a lawyer, who accepts or declines by ``respond_by``."""

    application = models.ForeignKey(
        "LegalAidApplication",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="offers",
    )
    lawyer = models.ForeignKey(
        Lawyer, verbose_name=_("lawyer"), on_delete=models.PROTECT, related_name="offers"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=OfferState.choices, default=OfferState.OFFERED
    )
    offered_at = models.DateTimeField(_("offered"), default=timezone.now)
    respond_by = models.DateTimeField(_("to be answered by"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    reason = models.TextField(_("reason given"), blank=True)

    class Meta:
        verbose_name = _("case offer")
        verbose_name_plural = _("case offers")
        ordering = ["offered_at", "id"]
        indexes = [
            models.Index(fields=["lawyer", "state"], name="la_offer_lawyer_state"),
            models.Index(
                fields=["respond_by"],
                name="la_offer_open_due",
                condition=Q(state="offered"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(state="offered"),
                name="la_offer_one_open",
                violation_error_message=_("An application is offered to one lawyer at a time."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} -> {self.lawyer}: {self.state}"

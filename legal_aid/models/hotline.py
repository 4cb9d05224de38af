"""The 12348 public legal-service hotline: one row per call answered."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.validators import validate_visible_text

from .application import Category, month_of


class HotlineService(models.TextChoices):
    """What a call is about: the line answers more than legal aid (ADR 0106)."""

    LEGAL_AID = "legal_aid", _("Legal aid")
    NOTARY = "notary", _("Notarisation")
    FORENSIC = "forensic_appraisal", _("Forensic appraisal")
    ARBITRATION = "arbitration", _("Arbitration")
    MEDIATION = "mediation", _("People's mediation")
    OTHER = "other", _("Other legal question")


class Satisfaction(models.IntegerChoices):
    """The one question of the survey sent after a call (即时满意度调查)."""

    SATISFIED = 3, _("Satisfied")
    FAIRLY = 2, _("Fairly satisfied")
    DISSATISFIED = 1, _("Dissatisfied")


class Consultation(models.Model):
    """One call answered by the 12348 public legal-service hotline."""

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    caller_name = models.CharField(
        _("caller's name"), max_length=64, blank=True, validators=[validate_visible_text]
    )
    caller_phone = models.CharField(_("caller's phone"), max_length=20, db_index=True)
    service = models.CharField(
        _("topic"),
        max_length=24,
        choices=HotlineService.choices,
        default=HotlineService.LEGAL_AID,
        db_index=True,
    )
    topic = models.CharField(
        _("legal-aid category"),
        max_length=32,
        choices=Category.choices,
        blank=True,
        db_index=True,
        help_text=_("For a legal-aid question: the category of the matter."),
    )
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"))
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"))
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    duty_lawyer = models.ForeignKey(
        "Lawyer",
        verbose_name=_("duty lawyer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
        help_text=_("The lawyer on the hotline rota at the time of the call."),
    )
    handled_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    survey_sent_at = models.DateTimeField(_("survey sent"), null=True, blank=True)
    survey_score = models.PositiveSmallIntegerField(
        _("satisfaction"), choices=Satisfaction.choices, null=True, blank=True
    )
    survey_answered_at = models.DateTimeField(_("survey answered"), null=True, blank=True)
    month = models.CharField(_("month"), max_length=7, db_index=True, blank=True, default="")
    suggest_application = models.BooleanField(
        _("the caller may be eligible for legal aid"), default=False
    )

    class Meta:
        verbose_name = _("12348 consultation")
        verbose_name_plural = _("12348 consultations")
        ordering = ["-handled_at"]
        indexes = [
            # the statistics' hotline figures of a scope (the calls of its centres' staff): every
            # column they filter, group and sum, so they read this index, not the calls (ADR 100)
            models.Index(
                fields=[
                    "handled_by",
                    "handled_at",
                    "month",
                    "topic",
                    "duration_seconds",
                    "suggest_application",
                ],
                name="la_call_statistics",
            ),
            # the statistics' topics and survey of a scope, read from this index alone
            models.Index(
                fields=["handled_by", "handled_at", "service", "survey_sent_at", "survey_score"],
                name="la_call_survey",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs) -> None:
        if not self.month and self.handled_at:
            self.month = month_of(self.handled_at)
        super().save(*args, **kwargs)

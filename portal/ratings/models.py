"""Service ratings (好差评): a citizen rates a finished case 1-5; a 1 or 2 opens a follow-up
for the responsible department, due in working days."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField


class Score(models.IntegerChoices):
    VERY_DISSATISFIED = 1, _("Very dissatisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    NEUTRAL = 3, _("Neutral")
    SATISFIED = 4, _("Satisfied")
    VERY_SATISFIED = 5, _("Very satisfied")


GOOD_MIN = 4  # 4 and 5 count as good (好评)
BAD_MAX = 2  # 1 and 2 count as bad (差评) and open a follow-up


class Rating(models.Model):
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of case"), on_delete=models.PROTECT
    )
    object_id = models.CharField(_("case id"), max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rated by"),
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    score = models.PositiveSmallIntegerField(_("score"), choices=Score.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    department = models.ForeignKey(
        "catalogue.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    item = models.ForeignKey(
        "catalogue.ServiceItem",
        verbose_name=_("service item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ratings",
    )
    created_at = models.DateTimeField(_("rated at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="rating_one_per_subject"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="rating_score_1_to_5"
            ),
        ]
        indexes = [
            models.Index(fields=["department", "score"], name="rating_department_idx"),
            models.Index(fields=["item", "score"], name="rating_item_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_score_display()} ({self.score})"

    @property
    def is_bad(self) -> bool:
        return self.score <= BAD_MAX


class FollowUpStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("follow-up status", "Open")
    RESOLVED = "resolved", _("Resolved")


class FollowUp(models.Model):
    """The department's answer to a bad rating (差评整改), due in working days."""

    rating = models.OneToOneField(
        Rating, verbose_name=_("rating"), on_delete=models.CASCADE, related_name="follow_up"
    )
    department = models.ForeignKey(
        "catalogue.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="rating_follow_ups",
    )
    due_date = models.DateField(_("due date"), db_index=True)
    status = FSMField(
        _("status"),
        max_length=16,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.OPEN,
        protected=False,
        db_index=True,
    )
    resolution_note = models.TextField(_("resolution note"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("opened at"), default=timezone.now)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["status", "due_date", "id"]

    def __str__(self) -> str:
        return f"{self.department} · {self.due_date}"

    @property
    def is_overdue(self) -> bool:
        return self.status == FollowUpStatus.OPEN and self.due_date < timezone.localdate()

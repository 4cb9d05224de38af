"""Models of the portal core that belong to no sub-app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """A staff-entered correction to the official calendar: a public holiday or an adjusted
    working day (调休) that the bundled calendar does not know yet (e.g. next year's notice)."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=64, blank=True, help_text=_("e.g. 春节"))

    class Meta:
        verbose_name = _("calendar correction")
        verbose_name_plural = _("calendar corrections")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"

"""A bundle (一事全办): several of the catalogue's items that one life or business event needs,
in the order they are handled, each by its own competent department (ADR 0118)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.validators import validate_visible_text


class EventKind(models.TextChoices):
    LIFE = "life", _("Life event")
    BUSINESS = "business", _("Business event")


# Who applies for a bundle follows from its event: a person for a life event, a company (or
# the person setting it up, in its name) for a business event.
APPLICANT_KIND_OF_EVENT = {EventKind.LIFE: "person", EventKind.BUSINESS: "company"}


class Bundle(models.Model):
    code = models.CharField(_("bundle code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, validators=[validate_visible_text])
    name_en = models.CharField(
        _("English name"), max_length=200, blank=True, validators=[validate_visible_text]
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    event_kind = models.CharField(
        _("event"), max_length=16, choices=EventKind.choices, db_index=True
    )
    items = models.ManyToManyField(
        "catalogue.ServiceItem",
        through="BundleItem",
        related_name="bundles",
        verbose_name=_("items"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        app_label = "catalogue"
        verbose_name = _("one-thing bundle")
        verbose_name_plural = _("one-thing bundles")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("catalogue:bundle_detail", args=[self.code])

    @property
    def applicant_kind(self) -> str:
        return APPLICANT_KIND_OF_EVENT.get(self.event_kind, "person")


class BundleItem(models.Model):
    """One item of a bundle, in its place. The department that handles it is the item's
    competent department (not copied here, so the two never disagree)."""

    bundle = models.ForeignKey(
        Bundle, verbose_name=_("bundle"), on_delete=models.CASCADE, related_name="entries"
    )
    item = models.ForeignKey(
        "catalogue.ServiceItem",
        verbose_name=_("item"),
        on_delete=models.PROTECT,
        related_name="bundle_entries",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        app_label = "catalogue"
        verbose_name = _("bundle item")
        verbose_name_plural = _("bundle items")
        ordering = ["bundle", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "item"], name="bundle_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.bundle}: {self.item}"

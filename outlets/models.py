"""Self-service outlets (自助办网点): terminals, opening hours, managers, published item lists.

An outlet's item list is edited as one draft (:class:`ItemListVersion` with status ``draft``) and
published as numbered, immutable snapshots with an effective date. The list in effect on a date is
the published version with the latest ``effective_date`` on or before that date (the higher number
wins a tie); see ``outlets.selectors.version_in_effect``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from portal.validators import validate_visible_text


class OutletKind(models.TextChoices):
    SERVICE_HALL = "service_hall", pgettext_lazy("outlet", "Service hall")
    TOWN_CENTRE = "town_centre", pgettext_lazy("outlet", "Town / street convenience centre")
    VILLAGE_STATION = "village_station", pgettext_lazy("outlet", "Village / community station")
    BANK_BRANCH = "bank_branch", pgettext_lazy("outlet", "Bank branch")


class Operator(models.TextChoices):
    GOVERNMENT = "government", pgettext_lazy("outlet", "Government")
    ICBC = "icbc", pgettext_lazy("outlet", "ICBC")
    CCB = "ccb", pgettext_lazy("outlet", "CCB")
    RCB = "rcb", pgettext_lazy("outlet", "Qingdao Rural Commercial Bank")


class OutletStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("outlet", "Open")
    TEMPORARILY_CLOSED = "temporarily_closed", pgettext_lazy("outlet", "Temporarily closed")
    CLOSED = "closed", pgettext_lazy("outlet", "Closed for good")


class OutletCalendar(models.TextChoices):
    WORKING_DAYS = "working_days", _("Official working days")
    WEEKLY = "weekly", _("Fixed weekly hours")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Outlet(models.Model):
    """A place with self-service terminals: a service hall, a convenience centre, a bank branch."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128, validators=[validate_visible_text])
    kind = models.CharField(_("kind"), max_length=16, choices=OutletKind.choices, db_index=True)
    operator = models.CharField(
        _("operator"), max_length=16, choices=Operator.choices, db_index=True
    )
    district = models.ForeignKey(
        "catalogue.Region",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="outlets",
    )
    address = models.CharField(_("address"), max_length=200)
    latitude = models.FloatField(
        _("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    accessibility = models.TextField(
        _("accessibility notes"),
        blank=True,
        help_text=_("Step-free access, lowered terminals, help for visually impaired visitors…"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OutletStatus.choices,
        default=OutletStatus.OPEN,
        db_index=True,
    )
    calendar = models.CharField(
        _("calendar"),
        max_length=16,
        choices=OutletCalendar.choices,
        default=OutletCalendar.WORKING_DAYS,
        help_text=_(
            "Official working days: open only on official working days, including adjusted "
            "working days at a weekend (then with Monday's hours). Fixed weekly hours: open on "
            "the weekdays that have hours, weekends included."
        ),
    )
    closed_on_holidays = models.BooleanField(
        _("closed on public holidays"),
        default=True,
        help_text=_("For fixed weekly hours: closed during public holidays."),
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="OutletManager",
        related_name="managed_outlets",
        verbose_name=_("managers"),
        blank=True,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")
        ordering = ["code"]
        indexes = [models.Index(fields=["latitude", "longitude"], name="outlet_coordinates")]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90)
                & Q(longitude__gte=-180, longitude__lte=180),
                name="outlet_coordinates_in_range",
            ),
            models.CheckConstraint(
                condition=(Q(operator="government") & ~Q(kind="bank_branch"))
                | (~Q(operator="government") & Q(kind="bank_branch")),
                name="outlet_kind_matches_operator",
                violation_error_message=_(
                    "Banks run bank branches; the government runs the other kinds of outlet."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("outlets:outlet_detail", args=[self.code])


class OpeningHours(models.Model):
    """One opening session on one weekday. Two rows on a day make a morning and an afternoon."""

    outlet = models.ForeignKey(
        Outlet, verbose_name=_("outlet"), on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["outlet", "weekday", "opens"]
        indexes = [models.Index(fields=["outlet", "weekday"], name="hours_outlet_weekday")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")),
                name="hours_close_after_open",
                violation_error_message=_("The closing time must be after the opening time."),
            ),
            models.UniqueConstraint(
                fields=["outlet", "weekday", "opens"], name="hours_one_session_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Terminal(models.Model):
    """A self-service terminal (自助终端) in an outlet."""

    outlet = models.ForeignKey(
        Outlet, verbose_name=_("outlet"), on_delete=models.CASCADE, related_name="terminals"
    )
    code = models.CharField(_("code"), max_length=40, unique=True)
    model = models.CharField(_("model"), max_length=80)
    location = models.CharField(_("location in the outlet"), max_length=120, blank=True)
    in_service = models.BooleanField(_("in service"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("terminal")
        verbose_name_plural = _("terminals")
        ordering = ["outlet", "code"]

    def __str__(self) -> str:
        return self.code


class OutletManager(models.Model):
    """Binds a user with the outlet-manager role to an outlet they may edit the list of."""

    outlet = models.ForeignKey(
        Outlet, verbose_name=_("outlet"), on_delete=models.CASCADE, related_name="manager_links"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="outlet_links",
        limit_choices_to={"role": "outlet_manager"},
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outlet manager")
        verbose_name_plural = _("outlet managers")
        constraints = [
            models.UniqueConstraint(fields=["outlet", "user"], name="outlet_manager_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.outlet}"

    def clean(self) -> None:
        from portal.accounts.models import Role

        if self.user_id and self.user.role != Role.OUTLET_MANAGER:
            raise ValidationError(
                {"user": _("Only a user with the outlet-manager role can be bound.")}
            )


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PublishedVersionError(Exception):
    """A published version is immutable."""


class ItemListVersion(models.Model):
    """One outlet's item list: its single draft, or a published, numbered, immutable snapshot.

    A published version whose date has not come yet (scheduled) can be withdrawn before it takes
    effect: by its manager, or when a later publication replaces it with a copy carrying the new
    change (``replaced_by``; ADR 0102). Its entries stay for the history."""

    outlet = models.ForeignKey(
        Outlet, verbose_name=_("outlet"), on_delete=models.CASCADE, related_name="versions"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    number = models.PositiveIntegerField(_("version"), null=True, blank=True)
    effective_date = models.DateField(_("effective from"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_item_lists",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    entry_count = models.PositiveIntegerField(_("items"), default=0)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("started from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For a draft: the published version it was copied from."),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="withdrawn_item_lists",
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced",
        help_text=_("The version that took its place, carrying a later publication's change."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("item list version")
        verbose_name_plural = _("item list versions")
        ordering = ["outlet", "-number"]
        indexes = [
            models.Index(
                fields=["outlet", "status", "effective_date", "number"], name="version_in_effect"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["outlet"], condition=Q(status="draft"), name="version_one_draft"
            ),
            models.UniqueConstraint(
                fields=["outlet", "number"],
                condition=~Q(status="draft"),
                name="version_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (
                    Q(number__isnull=False)
                    & Q(effective_date__isnull=False)
                    & Q(published_at__isnull=False)
                ),
                name="version_published_complete",
            ),
            models.CheckConstraint(
                condition=Q(status="withdrawn", withdrawn_at__isnull=False)
                | Q(~Q(status="withdrawn"), withdrawn_at__isnull=True),
                name="version_withdrawn_complete",
            ),
        ]

    def __str__(self) -> str:
        if self.status == VersionStatus.DRAFT:
            return f"{self.outlet} · {_('draft')}"
        return f"{self.outlet} · v{self.number} ({self.effective_date})"

    def save(self, *args, **kwargs) -> None:
        if (
            self.pk
            and ItemListVersion.objects.filter(pk=self.pk)
            .exclude(status=VersionStatus.DRAFT)
            .exists()
        ):
            raise PublishedVersionError("A published item list version cannot be changed.")
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def is_withdrawn(self) -> bool:
        return self.status == VersionStatus.WITHDRAWN


class ItemListEntry(models.Model):
    """An item on a list version. No terminals means every terminal of the outlet offers it."""

    version = models.ForeignKey(
        ItemListVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="entries"
    )
    item = models.ForeignKey(
        "catalogue.ServiceItem",
        verbose_name=_("item"),
        on_delete=models.PROTECT,
        related_name="outlet_entries",
    )
    terminals = models.ManyToManyField(
        Terminal,
        verbose_name=_("terminals"),
        blank=True,
        related_name="entries",
        help_text=_("Leave empty when every terminal of the outlet offers the item."),
    )

    class Meta:
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        ordering = ["version", "item"]
        constraints = [models.UniqueConstraint(fields=["version", "item"], name="entry_item_once")]
        indexes = [models.Index(fields=["item", "version"], name="entry_item_version")]

    def __str__(self) -> str:
        return f"{self.version}: {self.item}"

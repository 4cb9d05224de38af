"""Regions, departments, service items (事项) and the handling lists (清单) they belong to."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.validators import validate_visible_text

QINGDAO_CODE = "370200"


class RegionLevel(models.TextChoices):
    CITY = "city", _("Prefecture-level city")
    DISTRICT = "district", _("District")
    COUNTY_CITY = "county_city", _("County-level city")


class Region(models.Model):
    """An administrative division with its GB/T 2260 code."""

    code = models.CharField(_("GB/T 2260 code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=128)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    jiaodong_member = models.BooleanField(
        _("Jiaodong regional member"),
        default=False,
        help_text=_("The city takes part in the Jiaodong regional handling list (区域通办)."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def city_code(self) -> str:
        """The prefecture-level city this region belongs to (itself for a city)."""
        return self.code[:4] + "00"

    @property
    def in_qingdao(self) -> bool:
        return self.city_code == QINGDAO_CODE


class DepartmentLevel(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District / county-level city")
    TOWN = "town", _("Town / street")
    VILLAGE = "village", _("Village / community")


class Department(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128, validators=[validate_visible_text])
    name_en = models.CharField(
        _("English name"), max_length=200, blank=True, validators=[validate_visible_text]
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="departments"
    )
    level = models.CharField(
        _("level"), max_length=16, choices=DepartmentLevel.choices, db_index=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Domain(models.TextChoices):
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance")
    MEDICAL_INSURANCE = "medical_insurance", _("Medical insurance")
    REAL_ESTATE = "real_estate", _("Real estate")
    HOUSING_FUND = "housing_fund", _("Housing fund")
    TAX = "tax", _("Tax")
    ADMINISTRATIVE_APPROVAL = "administrative_approval", _("Administrative approval")
    FINANCE = "finance", _("Finance")
    OTHER = "other", _("Other")


class ItemKind(models.TextChoices):
    LICENCE = "licence", _("Administrative licence")
    CONFIRMATION = "confirmation", _("Administrative confirmation")
    PAYMENT = "payment", _("Administrative payment")
    FILING = "filing", _("Filing")
    PUBLIC_SERVICE = "public_service", _("Public service")
    CONVENIENCE = "convenience", _("Convenience service")
    OTHER = "other", _("Other")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Person")
    COMPANY = "company", _("Company")
    BOTH = "both", _("Person or company")


class ServiceItem(models.Model):
    """One government service a person or company can ask for."""

    code = models.CharField(_("item code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    domain = models.CharField(_("domain"), max_length=32, choices=Domain.choices, db_index=True)
    kind = models.CharField(_("kind"), max_length=32, choices=ItemKind.choices)
    applicant_kind = models.CharField(
        _("who may apply"), max_length=16, choices=ApplicantKind.choices, default="both"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("competent department"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(
        _("search keywords"),
        max_length=300,
        blank=True,
        help_text=_("Other words citizens use for this item, separated by spaces."),
    )
    legal_limit_days = models.PositiveSmallIntegerField(
        _("legal time limit (working days)"), default=20
    )
    promised_limit_days = models.PositiveSmallIntegerField(
        _("promised time limit (working days)"), default=5
    )
    fee = models.DecimalField(
        _("fee (yuan)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    fee_note = models.CharField(_("fee basis"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    service_hall = models.BooleanField(_("service hall"), default=True)
    self_service = models.BooleanField(_("self-service terminal"), default=False)
    mobile = models.BooleanField(_("mobile app"), default=False)
    visits_required = models.PositiveSmallIntegerField(
        _("visits needed"), default=1, help_text=_("0 means the item needs no visit.")
    )
    smart_approval = models.BooleanField(_("smart approval"), default=False)
    missing_materials_allowed = models.BooleanField(
        _("acceptance with missing materials (容缺受理)"), default=False
    )
    commitment = models.BooleanField(_("notification and commitment (告知承诺)"), default=False)
    proactive = models.BooleanField(_("proactive approval (无感审批)"), default=False)
    popularity = models.PositiveIntegerField(_("popularity"), default=0, db_index=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_text = models.TextField(
        _("search text"),
        blank=True,
        default="",
        editable=False,
        help_text=_(
            "Code, names, keywords and department name in lower case, kept up to date on save: "
            "one column to match instead of five (see ADR 0010)."
        ),
    )
    # Who changed a time limit, a fee, a flag, and the old value (not the derived columns).
    history = HistoricalRecords(excluded_fields=["updated_at", "search_text", "popularity"])

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(promised_limit_days__lte=models.F("legal_limit_days")),
                name="item_promised_within_legal_limit",
                violation_error_message=_(
                    "The promised time limit cannot exceed the legal time limit."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("catalogue:item_detail", args=[self.code])

    def build_search_text(self, department_name: str | None = None) -> str:
        if department_name is None:
            department_name = self.department.name if self.department_id else ""
        parts = (self.code, self.name, self.name_en, self.keywords, department_name)
        return " ".join(p for p in parts if p).lower()

    @property
    def channels(self) -> list[str]:
        return [
            name
            for name, on in (
                ("online", self.online),
                ("service_hall", self.service_hall),
                ("self_service", self.self_service),
                ("mobile", self.mobile),
            )
            if on
        ]


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", _("Provided by the applicant")
    SHARED = "shared", _("Shared government data")
    COMMITMENT = "commitment", _("Applicant's commitment (告知承诺)")


class Material(models.Model):
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="materials"
    )
    name = models.CharField(_("name"), max_length=200)
    required = models.BooleanField(_("required"), default=True)
    source = models.CharField(
        _("source"), max_length=16, choices=MaterialSource.choices, default="applicant"
    )
    commitment_text = models.TextField(
        _("commitment text"),
        blank=True,
        help_text=_("For a commitment: the text the applicant ticks to commit."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["item", "position", "id"]

    def __str__(self) -> str:
        return self.name


class ListKind(models.TextChoices):
    CITY_WIDE = "city_wide", _("City-wide handling (全市通办)")
    REGIONAL = "regional", _("Regional handling (区域通办)")
    TOWN = "town", _("Town / street list")
    VILLAGE = "village", _("Village / community list")


class HandlingList(models.Model):
    """A published handling list. There is one list of each kind."""

    kind = models.CharField(_("kind"), max_length=16, choices=ListKind.choices, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    regions = models.ManyToManyField(
        Region,
        verbose_name=_("participating regions"),
        blank=True,
        related_name="handling_lists",
        help_text=_("For the regional list: the cities that take part."),
    )
    items = models.ManyToManyField(
        ServiceItem, through="ListEntry", related_name="handling_lists", verbose_name=_("items")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("handling list")
        verbose_name_plural = _("handling lists")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.name


class ListEntry(models.Model):
    """An item's membership of a list, with the dates it was added and (if so) removed.

    The rows are the list's history: the current list is the entries with no ``removed_on``."""

    handling_list = models.ForeignKey(
        HandlingList, verbose_name=_("list"), on_delete=models.CASCADE, related_name="entries"
    )
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="list_entries"
    )
    added_on = models.DateField(_("added on"))
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        ordering = ["handling_list", "-added_on", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["handling_list", "item"],
                condition=Q(removed_on__isnull=True),
                name="one_current_entry_per_item_and_list",
            ),
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True) | Q(removed_on__gte=models.F("added_on")),
                name="entry_removed_after_added",
            ),
        ]
        indexes = [models.Index(fields=["handling_list", "removed_on"])]

    def __str__(self) -> str:
        return f"{self.handling_list}: {self.item}"

"""Regions, departments, the basic catalogue (基本目录) and its implementations (实施清单: the
``ServiceItem`` rows), and the handling lists (清单) implementations belong to (ADR 0121)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.catalogue import codes
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
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        default="",
        help_text=_(
            "The department's 18-character code (11 and its region code first): the first part "
            "of its implementations' codes."
        ),
    )
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
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="department_credit_code_unique",
                violation_error_message=_("Another department has this credit code."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude=None) -> None:
        super().clean_fields(exclude)
        if self.credit_code and "credit_code" not in (exclude or ()):
            try:
                codes.validate_department_credit_code(self.credit_code, self.region_id)
            except ValidationError as exc:
                raise ValidationError({"credit_code": exc}) from None


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


class BasicService(models.Model):
    """A service of the basic catalogue (基本目录): what the service is, on what legal basis, and
    which levels of government may implement it. Each department that implements it has its own
    implementation (``ServiceItem``), with its own time limits, fee, places and materials; pages
    show the service once with "choose your district" rather than one copy per district."""

    basic_code = models.CharField(
        _("basic code"),
        max_length=10,
        unique=True,
        help_text=_(
            "10 characters: the item-type code (e.g. XK, QR), the 5-digit main item and the "
            "3-digit sub item (000 when none), e.g. XK00046000."
        ),
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_visible_text])
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=ItemKind.choices)
    domain = models.CharField(_("domain"), max_length=32, choices=Domain.choices)
    applicant_kind = models.CharField(
        _("who may apply"), max_length=16, choices=ApplicantKind.choices, default="both"
    )
    legal_basis = models.TextField(
        _("legal basis (设定依据)"),
        blank=True,
        help_text=_("The laws and regulations that establish the service; empty when not known."),
    )
    legal_basis_en = models.TextField(_("English legal basis"), blank=True)
    competent_levels = models.CharField(
        _("competent levels"),
        max_length=64,
        blank=True,
        help_text=_(
            "The levels of government that may implement the service, separated by commas "
            "(city, district, town, village)."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("basic service")
        verbose_name_plural = _("basic catalogue")
        ordering = ["basic_code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.basic_code})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("catalogue:service_detail", args=[self.basic_code])

    def clean_fields(self, exclude=None) -> None:
        super().clean_fields(exclude)
        exclude = exclude or ()
        errors = {}
        if "basic_code" not in exclude:
            try:
                codes.validate_basic_code(self.basic_code, self.kind)
            except ValidationError as exc:
                errors["basic_code"] = exc
        unknown = set(self.level_values) - set(DepartmentLevel.values)
        if unknown and "competent_levels" not in exclude:
            errors["competent_levels"] = ValidationError(
                _("Unknown levels: %(levels)s.") % {"levels": ", ".join(sorted(unknown))}
            )
        if errors:
            raise ValidationError(errors)

    @property
    def level_values(self) -> list[str]:
        return [v.strip() for v in self.competent_levels.split(",") if v.strip()]

    @property
    def level_labels(self) -> list[str]:
        """The competent levels' labels, in the language of the request."""
        return [
            str(DepartmentLevel(v).label) for v in self.level_values if v in DepartmentLevel.values
        ]


class ServiceItem(models.Model):
    """One implementation (实施清单事项) of a basic service: the service as one department
    implements it, with its own time limits, fee, channels and materials. (The class keeps the
    name it had before the basic catalogue, ADR 0121, to spare every app a rename.)"""

    code = models.CharField(
        _("implementation code"),
        max_length=40,
        unique=True,
        help_text=_(
            "The department's credit code and the basic code (28 characters; 31 with a "
            "business-item suffix)."
        ),
    )
    former_code = models.CharField(
        _("former code"),
        max_length=40,
        blank=True,
        default="",
        db_index=True,
        help_text=_("The code the item had before; its old address redirects to the new one."),
    )
    basic = models.ForeignKey(
        BasicService,
        verbose_name=_("basic service"),
        on_delete=models.PROTECT,
        related_name="implementations",
    )
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
    fee_note_en = models.CharField(_("English fee basis"), max_length=300, blank=True)
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
    # The search document (ADR 0108): the item's words as the search sees them, written by
    # ``portal.catalogue.search.documents`` whenever the item, its materials or its department
    # change (``manage.py rebuild_search`` writes them all again). Space-separated tokens with a
    # space at both ends: segmented words, character pairs of the name, pinyin and initials,
    # English words. ``search_tokens`` holds them all (what a query must match; a GIN index on
    # PostgreSQL), the two others the name's and the keywords' (how well it matched).
    search_tokens = models.TextField(_("search tokens"), blank=True, default="", editable=False)
    search_name_tokens = models.TextField(
        _("search tokens of the name"), blank=True, default="", editable=False
    )
    search_keyword_tokens = models.TextField(
        _("search tokens of the keywords"), blank=True, default="", editable=False
    )
    # Who changed a time limit, a fee, a flag, and the old value (not the derived columns).
    history = HistoricalRecords(
        excluded_fields=[
            "updated_at", "search_text", "popularity", "search_tokens", "search_name_tokens",
            "search_keyword_tokens",
        ]
    )  # fmt: skip

    class Meta:
        verbose_name = _("implementation")
        verbose_name_plural = _("implementations")
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
        from portal.catalogue.search.documents import DOCUMENT_FIELDS, fill_document

        self.search_text = self.build_search_text()
        fill_document(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text", *DOCUMENT_FIELDS}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("catalogue:item_detail", args=[self.code])

    def clean_fields(self, exclude=None) -> None:
        """The code is the department's credit code and the basic service's code (ADR 0121).
        Checked here rather than in ``clean`` so that a form without the code (the smart-approval
        conditions' form) does not check it."""
        super().clean_fields(exclude)
        if "code" in (exclude or ()) or not (self.department_id and self.basic_id):
            return
        try:
            codes.validate_implementation_code(
                self.code, self.department.credit_code, self.basic.basic_code
            )
        except ValidationError as exc:
            raise ValidationError({"code": exc}) from None

    def build_search_text(self, department_name: str | None = None) -> str:
        if department_name is None:
            department_name = self.department.name if self.department_id else ""
        parts = (
            self.code, self.former_code, self.name, self.name_en, self.keywords, department_name,
        )  # fmt: skip
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
    COMMITMENT = "commitment", _("Applicant's commitment")


class Material(models.Model):
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="materials"
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
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
    note_en = models.CharField(_("English note"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["item", "position", "id"]

    def __str__(self) -> str:
        return self.name


class ListKind(models.TextChoices):
    CITY_WIDE = "city_wide", _("City-wide handling")
    REGIONAL = "regional", _("Regional handling")
    TOWN = "town", _("Town / street list")
    VILLAGE = "village", _("Village / community list")


class HandlingList(models.Model):
    """A published handling list. There is one list of each kind."""

    kind = models.CharField(_("kind"), max_length=16, choices=ListKind.choices, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
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


class SearchSynonym(models.Model):
    """A word or everyday phrase citizens type, and what the catalogue calls it (ADR 0108).

    Staff keep these in the admin: 营业执照 → 设立登记, 变更登记, 注销登记;
    生孩子 → 出生登记, 生育津贴.
    A query word equal to ``phrase`` also finds the items that hold one of the ``expansions``."""

    phrase = models.CharField(
        _("word or phrase"),
        max_length=40,
        unique=True,
        validators=[validate_visible_text],
        help_text=_("What citizens type, e.g. 生孩子 or shebao."),
    )
    expansions = models.CharField(
        _("also search for"),
        max_length=400,
        validators=[validate_visible_text],
        help_text=_(
            "The catalogue's words for it, separated by commas (、 ， or ,). Words separated by "
            "a space must all occur, e.g. 公司 变更."
        ),
    )
    domain = models.CharField(
        _("only in domain"),
        max_length=32,
        choices=Domain.choices,
        blank=True,
        help_text=_(
            "Leave empty to search every domain, e.g. 营业执照 only in administrative approval."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        ordering = ["phrase"]

    def __str__(self) -> str:
        return f"{self.phrase} → {self.expansions}"

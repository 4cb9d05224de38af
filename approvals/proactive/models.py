"""Models of proactive (no-sense, 无感审批) approvals.

The company register as the portal sees it (companies, shareholders, contacts), the certificates
they hold, the licence-change events from market regulation, the rules staff edit, the offers the
detection makes, and the courier shipments that collect the old certificate and deliver the new.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField
from simple_history.models import HistoricalRecords

from portal.catalogue.models import Region, ServiceItem
from portal.validators import (
    validate_mobile,
    validate_resident_id,
    validate_uscc,
    validate_visible_text,
)

# The licence particulars a change event may carry, with the bit each one has in a mask.
LICENCE_FIELDS: dict[str, int] = {
    "name": 1,
    "legal_representative": 2,
    "address": 4,
    "shareholders": 8,
}
LICENCE_FIELD_LABELS = {
    "name": _("Name"),
    "legal_representative": _("Legal representative"),
    "address": _("Address"),
    "shareholders": _("Shareholders"),
}


def fields_mask(fields) -> int:
    mask = 0
    for name in fields or ():
        mask |= LICENCE_FIELDS.get(name, 0)
    return mask


def new_token() -> str:
    return secrets.token_hex(16)


def new_verification_code() -> str:
    return secrets.token_hex(8).upper()


class CompanyType(models.TextChoices):
    LIMITED = "limited", _("Limited liability company")
    JOINT_STOCK = "joint_stock", _("Joint-stock company")
    SOLE = "sole", _("Sole proprietorship")
    PARTNERSHIP = "partnership", _("Partnership")
    NON_ENTERPRISE = "non_enterprise", _("Private non-enterprise unit")
    OTHER = "other", _("Other")


class CompanyStatus(models.TextChoices):
    ACTIVE = "active", _("In business")
    SUSPENDED = "suspended", _("Suspended")
    DEREGISTERED = "deregistered", _("Deregistered")


class Company(models.Model):
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, validators=[validate_uscc]
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_visible_text])
    type = models.CharField(
        _("type"), max_length=20, choices=CompanyType.choices, default=CompanyType.LIMITED
    )
    legal_representative = models.CharField(
        _("legal representative"), max_length=64, validators=[validate_visible_text]
    )
    address = models.CharField(_("registered address"), max_length=300)
    # Indexed once, by company_district_idx (a plain FK index would add a second copy and a
    # varchar_pattern_ops one nobody queries).
    district = models.ForeignKey(
        Region,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CompanyStatus.choices, default=CompanyStatus.ACTIVE
    )
    # From the register import (ADR 0109): the legal representative's resident identity number
    # and the date of establishment, as the company register exports them.
    legal_representative_id_number = models.CharField(
        _("legal representative's identity number"), max_length=18, blank=True
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Hand edits in the admin (the feed's updates are set-based SQL and leave no history rows).
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["uscc"]
        indexes = [models.Index(fields=["district"], name="company_district_idx")]
        # A constraint rather than unique=True: one index on the code, without the
        # varchar_pattern_ops copy PostgreSQL would get for LIKE (120 MB at city scale, ADR 0071).
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"],
                name="company_uscc_unique",
                violation_error_message=_(
                    "A company with this unified social credit code is already registered."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Shareholder(models.Model):
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="shareholders"
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_visible_text])
    share = models.DecimalField(
        _("share (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("shareholder")
        verbose_name_plural = _("shareholders")
        ordering = ["company", "-share", "id"]

    def __str__(self) -> str:
        return self.name


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("Registered")
    MOVED_AWAY = "moved_away", _("Registered residence moved away")
    DECEASED = "deceased", _("Deceased")


class Person(models.Model):
    """The person register (ADR 0111): people who hold certificates in their own name (practising
    qualifications, health certificates), keyed by resident ID, with their own mobile number and
    registered residence. Offers for their certificates go to them (their ``holder`` contact)."""

    resident_id = models.CharField(
        _("resident identity number"), max_length=18, validators=[validate_resident_id]
    )
    name = models.CharField(_("name"), max_length=64, validators=[validate_visible_text])
    mobile = models.CharField(
        _("registered mobile number"), max_length=11, blank=True, validators=[validate_mobile]
    )
    address = models.CharField(_("address"), max_length=300)
    district = models.ForeignKey(
        Region,
        verbose_name=_("district of registered residence"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["resident_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident_id"],
                name="person_resident_id_unique",
                violation_error_message=_("A person with this resident ID is already registered."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ContactRole(models.TextChoices):
    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")
    HANDLER = "handler", _("Handler")
    AGENT = "agent", _("Authorised agent")
    HOLDER = "holder", _("The holder in person")


class ContactPerson(models.Model):
    """Who an offer goes to: a company's contacts, or a person holding a certificate in their own
    name (role ``holder``, the person's own mobile number)."""

    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="contacts",
        null=True,
        blank=True,
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="contacts",
        null=True,
        blank=True,
    )
    role = models.CharField(_("role"), max_length=24, choices=ContactRole.choices)
    name = models.CharField(_("name"), max_length=64, validators=[validate_visible_text])
    mobile = models.CharField(
        _("registered mobile number"), max_length=11, blank=True, validators=[validate_mobile]
    )
    wechat_id = models.CharField(_("WeChat id"), max_length=64, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="company_contacts",
    )

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["company", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "role", "name"], name="contact_unique_per_company_role"
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(person__isnull=False),
                name="contact_one_per_person",
            ),
            models.CheckConstraint(
                condition=Q(company__isnull=True, person__isnull=False)
                | Q(company__isnull=False, person__isnull=True),
                name="contact_of_company_or_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class HolderKind(models.TextChoices):
    COMPANY = "company", _("Company")
    PERSON = "person", _("Person")


class CertificateType(models.Model):
    code = models.CharField(_("code"), max_length=16, unique=True)
    holder = models.CharField(
        _("held by"), max_length=8, choices=HolderKind.choices, default=HolderKind.COMPANY
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("item that changes or renews it"),
        on_delete=models.PROTECT,
        related_name="certificate_types",
    )
    validity_years = models.PositiveSmallIntegerField(_("validity (years)"), default=5)
    grades = models.CharField(
        _("grades"),
        max_length=200,
        blank=True,
        help_text=_(
            "The grades this certificate may have, separated by commas (e.g. 一级,二级,三级)."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certificate type")
        verbose_name_plural = _("certificate types")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def grade_choices(self) -> list[str]:
        return [g.strip() for g in self.grades.split(",") if g.strip()]


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    SUPERSEDED = "superseded", _("Superseded")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class Certificate(models.Model):
    type = models.ForeignKey(
        CertificateType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("number"), max_length=40, unique=True)
    grade = models.CharField(_("grade"), max_length=32, blank=True)
    company = models.ForeignKey(
        Company,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="certificates",
        null=True,
        blank=True,
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("holder (person)"),
        on_delete=models.PROTECT,
        related_name="certificates",
        null=True,
        blank=True,
    )
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    particulars = models.JSONField(
        _("particulars printed on it"),
        default=dict,
        blank=True,
        help_text=_("name, legal_representative, address, shareholders as printed."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
    )
    verification_code = models.CharField(
        _("verification code"), max_length=16, unique=True, default=new_verification_code
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    case_reference = models.CharField(_("issued by case"), max_length=40, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="certificates/%Y/", blank=True)
    # Who changed a certificate, when, and the old values (services and superusers' hand edits).
    history = HistoricalRecords(excluded_fields=["pdf"])

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["number"]
        indexes = [
            models.Index(fields=["company", "status"], name="cert_company_status_idx"),
            models.Index(
                fields=["expires_on", "type"],
                condition=Q(status="valid"),
                name="cert_valid_expiry_idx",
            ),
            models.Index(
                fields=["person", "status"],
                condition=Q(person__isnull=False),
                name="cert_person_status_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(company__isnull=True, person__isnull=False)
                | Q(company__isnull=False, person__isnull=True),
                name="certificate_held_by_company_or_person",
                violation_error_message=_("A certificate is held by a company or by a person."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.number}"

    @property
    def holder(self) -> Company | Person:
        return self.company if self.company_id else self.person  # type: ignore[return-value]


class Trigger(models.TextChoices):
    LICENCE_CHANGE = "licence_change", _("Change of licence particulars")
    EXPIRY = "expiry", _("Expiry within N days")
    CASE_HISTORY = "case_history", _("The holder's past cases")


class HistoryWindow(models.TextChoices):
    """When a past case of the rule's history item counts (ADR 0109)."""

    WITHIN_DAYS = "within_days", _("Completed within the last N days")
    LAST_YEAR = "last_year", _("Completed last year, not yet this year")


class ProactiveRule(models.Model):
    """Who gets an offer for an item: data that staff edit, never code."""

    name = models.CharField(_("name"), max_length=200)
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    trigger = models.CharField(_("trigger"), max_length=16, choices=Trigger.choices)
    fields = models.JSONField(
        _("licence fields"),
        default=list,
        blank=True,
        help_text=_("For a licence-change rule: the particulars whose change triggers it."),
    )
    fields_mask = models.PositiveSmallIntegerField(default=0, editable=False)
    days = models.PositiveSmallIntegerField(
        _("days before expiry"),
        null=True,
        blank=True,
        help_text=_("For an expiry rule: offer renewal this many days before the expiry date."),
    )
    history_item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("past item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "For a rule on the holder's past cases: the item whose completed case triggers it "
            "(e.g. establishment registration, or last year's annual item)."
        ),
    )
    history_window = models.CharField(
        _("when the past case counts"),
        max_length=16,
        choices=HistoryWindow.choices,
        blank=True,
    )
    certificate_types = models.ManyToManyField(
        CertificateType, verbose_name=_("certificate types"), related_name="rules"
    )
    regions = models.ManyToManyField(
        Region,
        verbose_name=_("active in regions"),
        related_name="+",
        help_text=_("Companies registered in these regions get offers (the city level is 青岛市)."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    message = models.TextField(
        _("message"),
        help_text=_(
            "Sent to the contacts. Placeholders: {company}, {certificate}, {item}, {deadline}, "
            "{link}."
        ),
    )
    identity_level = models.CharField(
        _("identity check required"),
        max_length=8,
        choices=[
            ("", _("An SMS code or the unified identity platform")),
            ("face", _("The unified identity platform's face check")),
        ],
        blank=True,
        default="",
        help_text=_(
            "Face: the holder proves their identity with the face check of the province's "
            "unified identity platform; an SMS code is then not enough."
        ),
    )
    response_days = models.PositiveSmallIntegerField(_("days to answer"), default=30)
    reminder_after_days = models.PositiveSmallIntegerField(_("remind after (days)"), default=7)
    active = models.BooleanField(_("active"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(
        excluded_fields=["updated_at"], m2m_fields=[certificate_types, regions]
    )

    class Meta:
        verbose_name = _("proactive rule")
        verbose_name_plural = _("proactive rules")
        ordering = ["item__code", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(trigger="expiry") | Q(days__isnull=False),
                name="expiry_rule_has_days",
                violation_error_message=_("An expiry rule needs the number of days."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="rule_dates_in_order",
                violation_error_message=_("The rule cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.fields_mask = fields_mask(self.fields)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "fields" in update_fields:
            kwargs["update_fields"] = {*update_fields, "fields_mask"}
        super().save(*args, **kwargs)

    def clean(self):
        from django.core.exceptions import ValidationError

        unknown = [f for f in self.fields or () if f not in LICENCE_FIELDS]
        if unknown:
            raise ValidationError({"fields": _("Unknown licence field: %s") % ", ".join(unknown)})
        if self.trigger == Trigger.LICENCE_CHANGE and not self.fields:
            raise ValidationError({"fields": _("Choose the licence fields whose change counts.")})
        if self.trigger == Trigger.EXPIRY and self.days is None:
            raise ValidationError({"days": _("An expiry rule needs the number of days.")})
        if self.trigger == Trigger.CASE_HISTORY:
            if self.history_item_id is None:
                raise ValidationError(
                    {"history_item": _("Choose the past item whose completed cases count.")}
                )
            if not self.history_window:
                raise ValidationError({"history_window": _("Choose when a past case counts.")})
            if self.history_window == HistoryWindow.WITHIN_DAYS and not self.days:
                raise ValidationError({"days": _("Give the number of days after the past case.")})


class LicenceEvent(models.Model):
    """A change of a company's business licence, as market regulation reports it."""

    event_id = models.CharField(_("event id"), max_length=64)
    uscc = models.CharField(_("unified social credit code"), max_length=18)
    # No index on company or batch: events are written in bulk and read by id. No database
    # constraint either: the link is resolved from the USCC (kept) by the statement that stores
    # the event, and the record of what market regulation sent outlives the company
    # (SET_NULL by the ORM). The check would cost a lookup and a row lock per event (ADR 0071).
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="licence_events",
        db_index=False,
        db_constraint=False,
    )
    changed_on = models.DateField(_("changed on"))
    changes = models.JSONField(_("changes"), default=dict)
    fields_mask = models.PositiveSmallIntegerField(default=0)
    new_name = models.CharField(max_length=200, null=True, blank=True)
    new_legal_representative = models.CharField(max_length=64, null=True, blank=True)
    new_address = models.CharField(max_length=300, null=True, blank=True)
    batch = models.UUIDField(_("batch"))
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("licence event")
        verbose_name_plural = _("licence events")
        ordering = ["-received_at", "-id"]
        # A constraint rather than unique=True: no varchar_pattern_ops copy of the index.
        constraints = [models.UniqueConstraint(fields=["event_id"], name="licence_event_id_unique")]

    def __str__(self) -> str:
        return self.event_id

    @property
    def changed_fields(self) -> list[str]:
        return [name for name, bit in LICENCE_FIELDS.items() if self.fields_mask & bit]


class OfferReason(models.TextChoices):
    LICENCE_CHANGE = "licence_change", _("Licence change")
    EXPIRY = "expiry", _("Expiry")
    CASE_HISTORY = "case_history", _("Past cases")


class OfferStatus(models.TextChoices):
    CREATED = "created", _("Created")
    SENT = "sent", _("Sent")
    OPENED = "opened", _("Opened")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    LAPSED = "lapsed", _("Lapsed")


OPEN_OFFER_STATUSES = (OfferStatus.CREATED, OfferStatus.SENT, OfferStatus.OPENED)


class Offer(models.Model):
    # Indexes are few on purpose: offers are written in bulk (ADR 0071). certificate and company
    # are covered by the composite indexes below; item and rule are only grouped or rarely read.
    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("certificate"),
        on_delete=models.CASCADE,
        related_name="offers",
        db_index=False,
    )
    # Company and item are copies, for reading: the certificate's company and the rule's item,
    # written only by detection. Their integrity follows from the certificate and rule
    # constraints, and the ORM keeps on_delete; a database check of each copy would cost two
    # lookups and row locks per offer made (ADR 0071).
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="offers",
        db_index=False,
        db_constraint=False,
        null=True,
        blank=True,
    )
    # The person holding the certificate, copied as the company is (ADR 0111); one of the two.
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="offers",
        db_index=False,
        db_constraint=False,
        null=True,
        blank=True,
    )
    item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("item"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    rule = models.ForeignKey(
        ProactiveRule,
        verbose_name=_("rule"),
        on_delete=models.PROTECT,
        related_name="offers",
        db_index=False,
    )
    reason = models.CharField(_("reason"), max_length=16, choices=OfferReason.choices)
    # Indexed: PostgreSQL checks this reference for every licence event deleted (retention).
    event = models.ForeignKey(
        LicenceEvent,
        verbose_name=_("licence change"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offers",
    )
    status = FSMField(_("status"), max_length=16, choices=OfferStatus.choices, default="created")
    deadline = models.DateField(_("answer by"))
    # A per-offer secret in every link (with the offer's id and a signature): no index needed.
    token = models.CharField(_("token"), max_length=32, default=new_token)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    # Contexts: the same English words mean something else in other apps' catalogues.
    opened_at = models.DateTimeField(pgettext_lazy("offer", "opened at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=200, blank=True)
    case = models.ForeignKey(
        "approvals.Case",
        verbose_name=_("case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proactive_offers",
        db_index=False,
    )
    new_certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("new certificate"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issued_by_offers",
        db_index=False,
    )

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "reason"],
                condition=Q(status__in=["created", "sent", "opened"]),
                name="one_open_offer_per_certificate_reason",
            ),
            # Partial: the many offers without a case or new certificate cost no index entry.
            models.UniqueConstraint(
                fields=["case"], condition=Q(case__isnull=False), name="offer_one_per_case"
            ),
            models.UniqueConstraint(
                fields=["new_certificate"],
                condition=Q(new_certificate__isnull=False),
                name="offer_one_per_new_certificate",
            ),
        ]
        indexes = [
            models.Index(
                fields=["deadline"],
                condition=Q(status__in=["created", "sent", "opened"]),
                name="offer_open_deadline_idx",
            ),
            models.Index(fields=["company", "status"], name="offer_company_status_idx"),
            models.Index(fields=["certificate", "reason"], name="offer_certificate_reason_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.item.name} · {self.certificate.number}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_OFFER_STATUSES

    @property
    def holder(self) -> Company | Person:
        """The company, or the person, the offer is for."""
        return self.company if self.company_id else self.person  # type: ignore[return-value]

    def holder_contacts(self):
        return (self.company if self.company_id else self.person).contacts.all()  # type: ignore[union-attr]


class DeliveryMethod(models.TextChoices):
    COURIER = "courier", _("Courier to an address")
    PICKUP = "pickup", _("Pick up at the service hall")


class ShipmentStatus(models.TextChoices):
    CREATED = "created", _("Waiting for the courier order")
    ORDERED = "ordered", _("Ordered from the courier")
    COLLECTED = "collected", _("Old certificate collected")
    IN_TRANSIT = "in_transit", _("In transit")
    DELIVERED = "delivered", _("New certificate delivered")
    FAILED = "failed", pgettext_lazy("shipment status", "Failed")
    ORDER_FAILED = "order_failed", _("The courier order could not be placed")
    PICKUP = "pickup", _("To be picked up at the service hall")


class ShipmentKind(models.TextChoices):
    COLLECT_AND_DELIVER = (
        "collect_old_deliver_new",
        _("Collect the old certificate, deliver the new one"),
    )
    DELIVER_ONLY = "deliver_only", _("Deliver the new certificate")


class Shipment(models.Model):
    """The courier collects the old certificate and delivers the new one (or only delivers).

    The order is placed with the courier plug-in (``courier``) after the certificate is issued;
    ``attempt`` counts delivery attempts (a new one after a failed delivery), and the idempotency
    key of an order is ``shipment-<id>-<attempt>``, so retries of one attempt never order twice.
    The tracking number is the courier's answer."""

    KIND = ShipmentKind.COLLECT_AND_DELIVER

    offer = models.OneToOneField(
        Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="shipment"
    )
    case_reference = models.CharField(_("case"), max_length=40, db_index=True)
    kind = models.CharField(
        _("kind"), max_length=32, choices=ShipmentKind.choices, default=KIND, editable=False
    )
    status = FSMField(_("status"), max_length=16, choices=ShipmentStatus.choices, default="created")
    courier = models.CharField(_("courier"), max_length=32, blank=True)
    order_id = models.CharField(_("courier order"), max_length=64, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=32, blank=True)
    attempt = models.PositiveSmallIntegerField(_("delivery attempt"), default=1)
    order_tries = models.PositiveSmallIntegerField(_("order tries"), default=0)
    next_try_at = models.DateTimeField(_("next order try"), null=True, blank=True)
    order_error = models.CharField(_("last order error"), max_length=300, blank=True)
    recipient_name = models.CharField(
        _("recipient"), max_length=64, validators=[validate_visible_text]
    )
    recipient_mobile = models.CharField(_("recipient's mobile"), max_length=11)
    address = models.CharField(_("address"), max_length=300)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    ordered_at = models.DateTimeField(_("ordered at"), null=True, blank=True)
    collected_at = models.DateTimeField(_("collected at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tracking_number"],
                condition=~Q(tracking_number=""),
                name="shipment_tracking_number_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_try_at"],
                condition=Q(status="created"),
                name="shipment_order_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_number or f"{self.case_reference} #{self.attempt}"

    @property
    def idempotency_key(self) -> str:
        return f"shipment-{self.pk}-{self.attempt}"

    @property
    def collects_old(self) -> bool:
        return self.kind == ShipmentKind.COLLECT_AND_DELIVER


class CourierEvent(models.Model):
    """Every courier webhook call, once: a replayed event id changes nothing."""

    event_id = models.CharField(_("event id"), max_length=64, unique=True)
    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="events", verbose_name=_("shipment")
    )
    status = models.CharField(_("status"), max_length=16)
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    payload = models.JSONField(_("payload"), default=dict)

    class Meta:
        verbose_name = _("courier event")
        verbose_name_plural = _("courier events")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.status}"


from .registers.models import RegisterImport  # noqa: E402, F401  (the register imports, ADR 0109)

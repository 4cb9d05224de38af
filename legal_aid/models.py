"""Legal aid (法援在线): centres, case-handling bodies, lawyers and staff, applications and their
workflow, drafts, evidence, progress notes, the 12348 hotline's consultations and access logs.

The workflow follows the Legal Aid Law of the PRC (法律援助法, in force 1 January 2022):
articles 38 (where to apply), 41-42 (hardship statement and exemptions), 32 (no hardship
condition), 43 (7 days to decide, materials asked for once, 3 days to assign), 44 (aid first for
urgent matters), 48 (termination) and 49 (objection, 5 days). See docs/adr/0060-0062.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from portal.validators import validate_mobile, validate_resident_id, validate_visible_text

from . import permissions as perms

# ---------------------------------------------------------------------------------------------
# Centres, bodies, people
# ---------------------------------------------------------------------------------------------


class CentreKind(models.TextChoices):
    CENTRE = "centre", _("Legal-aid centre")
    BRANCH = "branch", _("Branch centre")


class Centre(models.Model):
    """A legal-aid centre (法律援助中心) or branch centre (分中心)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128, validators=[validate_visible_text])
    name_en = models.CharField(
        _("English name"), max_length=200, blank=True, validators=[validate_visible_text]
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CentreKind.choices)
    region = models.ForeignKey(
        "catalogue.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent centre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="branches",
    )
    host = models.CharField(
        _("hosted by"),
        max_length=128,
        blank=True,
        help_text=_("For a branch centre: the law firm, office, notary or university hosting it."),
    )
    justice_bureau = models.CharField(
        _("justice bureau"),
        max_length=64,
        help_text=_("The justice bureau that set up the centre and decides objections."),
    )
    department = models.ForeignKey(
        "catalogue.Department",
        verbose_name=_("department for ratings"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The catalogue department that ratings of this centre's cases go to."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("legal-aid centre")
        verbose_name_plural = _("legal-aid centres")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(kind="centre"),
                name="legal_aid_one_centre_per_region",
                violation_error_message=_("A region has one legal-aid centre."),
            ),
            models.CheckConstraint(
                condition=Q(kind="centre", parent__isnull=True)
                | Q(kind="branch", parent__isnull=False),
                name="legal_aid_branch_has_parent",
                violation_error_message=_(
                    "A branch centre belongs to a centre; a centre does not."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BodyKind(models.TextChoices):
    INTERMEDIATE_COURT = "intermediate_court", _("Intermediate people's court")
    MARITIME_COURT = "maritime_court", _("Maritime court")
    BASIC_COURT = "basic_court", _("Basic people's court")
    PROCURATORATE = "procuratorate", _("Procuratorate")
    PUBLIC_SECURITY = "public_security", _("Public security bureau")
    ARBITRATION = "arbitration", _("Arbitration commission")
    LABOUR_ARBITRATION = "labour_arbitration", _("Labour dispute arbitration commission")
    MEDIATION = "mediation", _("Mediation body")
    ADMINISTRATIVE_REVIEW = "administrative_review", _("Administrative review body")


LITIGATION_BODY_KINDS = {
    BodyKind.INTERMEDIATE_COURT,
    BodyKind.MARITIME_COURT,
    BodyKind.BASIC_COURT,
    BodyKind.PROCURATORATE,
    BodyKind.PUBLIC_SECURITY,
}


class Body(models.Model):
    """A court or other case-handling or dispute-handling body (办案机关 / 争议处理机关)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128, validators=[validate_visible_text])
    name_en = models.CharField(
        _("English name"), max_length=200, blank=True, validators=[validate_visible_text]
    )
    kind = models.CharField(_("kind"), max_length=32, choices=BodyKind.choices, db_index=True)
    region = models.ForeignKey(
        "catalogue.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case-handling body")
        verbose_name_plural = _("case-handling bodies")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_litigation_body(self) -> bool:
        return self.kind in LITIGATION_BODY_KINDS


class StaffRole(models.TextChoices):
    STAFF = "staff", _("Centre staff")
    BUREAU = "bureau", _("Justice bureau officer")


class StaffMembership(models.Model):
    """Binds a legal-aid staff user to the centre they work for. A justice bureau officer
    decides objections against the centre (and its branches) and reads the statistics."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="legal_aid_membership",
    )
    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="staff"
    )
    role = models.CharField(
        _("role"), max_length=16, choices=StaffRole.choices, default=StaffRole.STAFF
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("legal-aid staff membership")
        verbose_name_plural = _("legal-aid staff memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.centre}"


class Lawyer(models.Model):
    """A lawyer (or legal-aid worker) who takes cases for a centre."""

    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="lawyers"
    )
    name = models.CharField(_("name"), max_length=64, validators=[validate_visible_text])
    licence_number = models.CharField(_("licence number"), max_length=17, unique=True)
    firm = models.CharField(_("law firm"), max_length=128, validators=[validate_visible_text])
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="legal_aid_lawyer",
    )
    hotline_duty = models.BooleanField(_("answers the 12348 hotline"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lawyer")
        verbose_name_plural = _("lawyers")
        ordering = ["centre", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.firm})"


# ---------------------------------------------------------------------------------------------
# Matter vocabulary (Legal Aid Law articles 31, 32, 42, 44)
# ---------------------------------------------------------------------------------------------


class MatterType(models.TextChoices):
    LITIGATION = "litigation", _("Litigation (a court or case-handling body)")
    NON_LITIGATION = "non_litigation", _("Non-litigation (arbitration, mediation, negotiation)")


class Category(models.TextChoices):
    """Civil and administrative matters of article 31, plus criminal matters."""

    STATE_COMPENSATION = "state_compensation", _("State compensation")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance or social assistance")
    PENSION = "pension", _("Survivors' pension (抚恤金)")
    MAINTENANCE = "maintenance", _("Support or maintenance payments")
    LABOUR = "labour", _("Labour relationship or unpaid wages")
    CAPACITY = "capacity", _("Declaring civil incapacity")
    PERSONAL_INJURY = "personal_injury", _("Personal injury (work, traffic, food, medical)")
    ENVIRONMENT = "environment", _("Environmental pollution or ecological damage")
    CRIMINAL = "criminal", _("Criminal defence or victim's representation")
    OTHER = "other", _("Other")


class Exemption(models.TextChoices):
    """Applicants not subject to the hardship condition (article 32) or exempt from its check
    (article 42). Blank means the applicant states their economic hardship."""

    NONE = "", _("None: I state my economic hardship")
    HERO_RELATIVE = "hero_relative", _("Close relative of a hero or martyr defending their honour")
    BRAVE_ACT = "brave_act", _("Claiming civil rights arising from acting bravely for others")
    RETRIAL_ACQUITTED = (
        "retrial_acquitted",
        _("Acquitted on retrial and claiming state compensation"),
    )
    ABUSE_VICTIM = "abuse_victim", _("Victim of abuse, abandonment or domestic violence")
    NO_INCOME_GROUP = (
        "no_income_group",
        _("Minor, elderly or disabled person without a steady income"),
    )
    ASSISTANCE_RECIPIENT = (
        "assistance_recipient",
        _("Recipient of social or judicial assistance, or entitled to special care"),
    )
    MIGRANT_WORKER_WAGES = (
        "migrant_worker_wages",
        _("Migrant worker claiming wages or work-injury compensation"),
    )


NO_HARDSHIP_CONDITION = {
    Exemption.HERO_RELATIVE,
    Exemption.BRAVE_ACT,
    Exemption.RETRIAL_ACQUITTED,
    Exemption.ABUSE_VICTIM,
}
HARDSHIP_CHECK_WAIVED = {
    Exemption.NO_INCOME_GROUP,
    Exemption.ASSISTANCE_RECIPIENT,
    Exemption.MIGRANT_WORKER_WAGES,
}


class Urgency(models.TextChoices):
    NONE = "", _("Not urgent")
    LIMITATION = "limitation", _("A limitation period or time limit ends within 7 days")
    PRESERVATION = (
        "preservation",
        _("Property or evidence must be preserved (or execution ordered) at once"),
    )


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    CENTRE = "centre", _("At a centre")
    HOTLINE = "hotline", _("From the 12348 hotline")


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    FORWARDED = "forwarded", _("Forwarded to the competent centre")
    UNDER_REVIEW = "under_review", _("Under review")
    MATERIALS_REQUESTED = "materials_requested", _("Materials requested")
    GRANTED = "granted", _("Aid granted")
    REFUSED = "refused", _("Aid refused")
    LAWYER_ASSIGNED = "lawyer_assigned", _("Lawyer assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", pgettext_lazy("legal aid state", "Closed")
    RATED = "rated", _("Rated")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    LAPSED = "lapsed", _("Lapsed (materials not supplied in time)")
    TERMINATED = "terminated", _("Aid terminated")
    OBJECTION_LODGED = "objection_lodged", _("Objection lodged")
    OBJECTION_DECIDED = "objection_decided", _("Objection decided")


AWAITING_DECISION = (State.SUBMITTED, State.FORWARDED, State.UNDER_REVIEW)
OPEN_STATES = (
    State.SUBMITTED,
    State.FORWARDED,
    State.UNDER_REVIEW,
    State.MATERIALS_REQUESTED,
    State.GRANTED,
    State.LAWYER_ASSIGNED,
    State.IN_PROGRESS,
    State.OBJECTION_LODGED,
)

# a lawyer or the centre writes progress notes from the assignment until the case closes
TAKES_PROGRESS_NOTES = (State.LAWYER_ASSIGNED, State.IN_PROGRESS)


class Decision(models.TextChoices):
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class Outcome(models.TextChoices):
    WON = "won", _("Claim upheld in full")
    PARTLY_WON = "partly_won", _("Claim partly upheld")
    SETTLED = "settled", _("Settled or mediated")
    LOST = "lost", _("Claim dismissed")
    OTHER = "other", _("Other outcome")


class ObjectionDecision(models.TextChoices):
    UPHELD = "upheld", _("Centre's decision upheld")
    OVERTURNED = "overturned", _("Centre ordered to correct its decision")


# ---------------------------------------------------------------------------------------------
# The application and its workflow
# ---------------------------------------------------------------------------------------------


class LegalAidApplication(models.Model):
    reference = models.CharField(_("reference"), max_length=24, unique=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_aid_applications",
    )
    applicant_name = models.CharField(
        _("applicant's name"), max_length=64, validators=[validate_visible_text]
    )
    resident_id = models.CharField(
        _("resident identity number"), max_length=18, validators=[validate_resident_id]
    )
    phone = models.CharField(_("mobile number"), max_length=11, validators=[validate_mobile])
    address = models.CharField(_("address"), max_length=200, blank=True)
    residence = models.ForeignKey(
        "catalogue.Region",
        verbose_name=_("where the applicant lives"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    matter_type = models.CharField(_("matter type"), max_length=16, choices=MatterType.choices)
    category = models.CharField(
        _("category"), max_length=32, choices=Category.choices, db_index=True
    )
    opposing_party = models.CharField(
        _("opposing party"), max_length=128, blank=True, validators=[validate_visible_text]
    )
    body = models.ForeignKey(
        Body,
        verbose_name=_("court or case-handling body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    place = models.ForeignKey(
        "catalogue.Region",
        verbose_name=_("where the matter arose"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    arose_on = models.DateField(_("date the matter arose"), null=True, blank=True)
    facts = models.TextField(_("facts and request"))

    exemption = models.CharField(
        _("exemption"), max_length=32, choices=Exemption.choices, blank=True, default=""
    )
    hardship_statement = models.TextField(_("hardship statement"), blank=True)
    household_size = models.PositiveSmallIntegerField(_("household size"), null=True, blank=True)
    monthly_income = models.PositiveIntegerField(
        _("household monthly income (yuan)"), null=True, blank=True
    )
    commitment_at = models.DateTimeField(_("commitment ticked at"))

    urgency = models.CharField(
        _("urgency"), max_length=16, choices=Urgency.choices, blank=True, default=""
    )
    limitation_ends = models.DateField(_("limitation period ends"), null=True, blank=True)

    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    accepting_centre = models.ForeignKey(
        Centre,
        verbose_name=_("accepting centre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accepted_applications",
        help_text=_("Where the application was handed in; empty when it came online."),
    )
    competent_centre = models.ForeignKey(
        Centre,
        verbose_name=_("competent centre"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    routing_reason = models.CharField(_("routing reason"), max_length=300)
    routing_reason_en = models.CharField(_("routing reason (English)"), max_length=300)
    consultation = models.ForeignKey(
        "Consultation",
        verbose_name=_("12348 consultation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
    )

    # one submission, one application: the key of the draft or form it came from (ADR 0080)
    submission_key = models.CharField(
        _("submission key"), max_length=64, null=True, blank=True, unique=True, editable=False
    )

    state = FSMField(_("state"), default=State.SUBMITTED, choices=State.choices, db_index=True)
    aid_first = models.BooleanField(_("aid given first, review after"), default=False)
    review_completed_at = models.DateTimeField(_("review completed"), null=True, blank=True)

    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)
    month = models.CharField(
        _("month submitted"),
        max_length=7,
        db_index=True,
        blank=True,
        default="",
        help_text=_("YYYY-MM, local time."),
    )
    received_at = models.DateTimeField(_("received by the competent centre"))
    decision_due = models.DateField(_("decision due"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision = models.CharField(
        _("decision"), max_length=8, choices=Decision.choices, blank=True, db_index=True
    )
    # written with the decision and the assignment, so statistics are plain integer aggregates
    decision_seconds = models.PositiveIntegerField(
        _("time to decide (seconds)"), null=True, blank=True, db_index=True
    )
    decided_late = models.BooleanField(_("decided after the due date"), default=False)
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True)
    assignment_due = models.DateField(_("assignment due"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("lawyer assigned"), null=True, blank=True)
    assignment_seconds = models.PositiveIntegerField(
        _("time to assign (seconds)"), null=True, blank=True, db_index=True
    )
    assigned_late = models.BooleanField(_("assigned after the due date"), default=False)
    lawyer = models.ForeignKey(
        Lawyer,
        verbose_name=_("lawyer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )

    materials_request = models.TextField(_("materials requested"), blank=True)
    materials_requested_at = models.DateTimeField(
        _("materials requested at"), null=True, blank=True
    )
    materials_due = models.DateField(_("materials due"), null=True, blank=True)
    materials_supplied_at = models.DateTimeField(_("materials supplied"), null=True, blank=True)

    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    termination_reason = models.TextField(_("reason for termination"), blank=True)

    objection = models.TextField(_("objection"), blank=True)
    objection_at = models.DateTimeField(_("objection lodged"), null=True, blank=True)
    objection_due = models.DateField(_("objection decision due"), null=True, blank=True)
    objection_decision = models.CharField(
        _("objection decision"), max_length=16, choices=ObjectionDecision.choices, blank=True
    )
    objection_decided_at = models.DateTimeField(_("objection decided"), null=True, blank=True)
    objection_reasons = models.TextField(_("reasons for the objection decision"), blank=True)
    # state before the objection: refused or terminated (the decision objected to)
    objected_state = models.CharField(max_length=24, blank=True)

    class Meta:
        verbose_name = _("legal-aid application")
        verbose_name_plural = _("legal-aid applications")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["competent_centre", "state"], name="la_app_centre_state"),
            models.Index(fields=["competent_centre", "-submitted_at"], name="la_app_centre_sub"),
            models.Index(fields=["accepting_centre", "-submitted_at"], name="la_app_accept_sub"),
            models.Index(fields=["applicant", "-submitted_at"], name="la_app_applicant"),
            models.Index(fields=["state", "decision_due"], name="la_app_state_decision"),
            models.Index(fields=["state", "materials_due"], name="la_app_state_materials"),
            models.Index(fields=["channel"], name="la_app_channel"),
            # covers the statistics' one GROUP BY, so it scans this narrow index, not the rows
            models.Index(
                fields=[
                    "category",
                    "channel",
                    "competent_centre",
                    "month",
                    "state",
                    "decision",
                    "urgency",
                    "aid_first",
                    "decision_due",
                    "assignment_due",
                    "materials_due",
                    "objection_due",
                    "decision_seconds",
                    "assignment_seconds",
                    "decided_late",
                    "assigned_late",
                    "submitted_at",
                ],
                name="la_app_statistics",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(matter_type="non_litigation") | Q(body__isnull=False),
                name="legal_aid_litigation_has_body",
                violation_error_message=_("A litigation matter names its court or body."),
            ),
            models.CheckConstraint(
                condition=Q(body__isnull=False) | Q(place__isnull=False),
                name="legal_aid_body_or_place",
                violation_error_message=_("Name the body handling the matter or where it arose."),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs) -> None:
        if not self.month and self.submitted_at:
            self.month = month_of(self.submitted_at)
        super().save(*args, **kwargs)

    # --- conditions ----------------------------------------------------------------------
    def handed_in_elsewhere(self) -> bool:
        return bool(self.accepting_centre_id) and self.accepting_centre_id != (
            self.competent_centre_id
        )

    def materials_not_yet_requested(self) -> bool:
        return self.materials_requested_at is None

    def is_urgent(self) -> bool:
        return bool(self.urgency)

    def materials_deadline_passed(self) -> bool:
        return self.materials_due is not None and self.materials_due < timezone.localdate()

    def review_pending(self) -> bool:
        return self.aid_first and self.review_completed_at is None

    def objection_overturned(self, objected_state: str) -> bool:
        """The bureau ordered the centre to correct its decision ``objected_state``."""
        return (
            self.objection_decision == ObjectionDecision.OVERTURNED
            and self.objected_state == objected_state
        )

    def may_grant(self) -> bool:
        return self.state == State.UNDER_REVIEW or self.objection_overturned(State.REFUSED)

    def may_assign(self) -> bool:
        return self.state == State.GRANTED or self.objection_overturned(State.TERMINATED)

    # --- transitions (bodies hold no rules: services.py sets dates and writes the log) ------
    @transition(
        state,
        source=State.SUBMITTED,
        target=State.FORWARDED,
        conditions=[handed_in_elsewhere],
        permission=perms.accepting,
    )
    def forward(self) -> None:
        """The accepting centre passes the application to the competent centre."""

    @transition(
        state,
        source=[State.SUBMITTED, State.FORWARDED],
        target=State.UNDER_REVIEW,
        permission=perms.competent,
    )
    def start_review(self) -> None:
        """The competent centre starts its review."""

    @transition(
        state,
        source=State.UNDER_REVIEW,
        target=State.MATERIALS_REQUESTED,
        conditions=[materials_not_yet_requested],
        permission=perms.competent,
    )
    def request_materials(self) -> None:
        """Ask once, listing everything that is missing (article 43)."""

    @transition(
        state,
        source=State.MATERIALS_REQUESTED,
        target=State.UNDER_REVIEW,
        permission=perms.applicant,
    )
    def supply_materials(self) -> None:
        """The applicant hands in what was asked for."""

    @transition(
        state,
        source=State.MATERIALS_REQUESTED,
        target=State.LAPSED,
        conditions=[materials_deadline_passed],
        permission=perms.competent,
    )
    def lapse(self) -> None:
        """Materials not supplied in time: the application counts as withdrawn."""

    @transition(
        state,
        source=[State.UNDER_REVIEW, State.OBJECTION_DECIDED],
        target=State.GRANTED,
        conditions=[may_grant],
        permission=perms.competent,
    )
    def grant(self) -> None:
        """Aid granted (from an objection only when the bureau overturned a refusal)."""

    @transition(
        state,
        source=[State.SUBMITTED, State.FORWARDED, State.UNDER_REVIEW],
        target=State.GRANTED,
        conditions=[is_urgent],
        permission=perms.competent,
    )
    def grant_first(self) -> None:
        """Urgent matter: aid first, the review is completed afterwards (article 44)."""

    @transition(
        state,
        source=[State.GRANTED, State.LAWYER_ASSIGNED, State.IN_PROGRESS],
        target=None,
        conditions=[review_pending],
        permission=perms.competent,
    )
    def complete_review(self) -> None:
        """The review after aid-first finds the applicant eligible."""

    @transition(state, source=State.UNDER_REVIEW, target=State.REFUSED, permission=perms.competent)
    def refuse(self) -> None:
        """Aid refused, with reasons and the objection route."""

    @transition(
        state,
        source=[State.GRANTED, State.OBJECTION_DECIDED],
        target=State.LAWYER_ASSIGNED,
        conditions=[may_assign],
        permission=perms.competent,
    )
    def assign_lawyer(self) -> None:
        """A lawyer of the centre takes the case (within 3 days of the grant)."""

    @transition(
        state, source=State.LAWYER_ASSIGNED, target=State.IN_PROGRESS, permission=perms.handling
    )
    def begin(self) -> None:
        """The lawyer starts work (the first progress note)."""

    @transition(
        state,
        source=State.IN_PROGRESS,
        target=State.CLOSED,
        permission=perms.competent,
    )
    def close(self) -> None:
        """The case is finished, with its outcome."""

    @transition(state, source=State.CLOSED, target=State.RATED, permission=perms.applicant)
    def rate(self) -> None:
        """The applicant rates the service (好差评)."""

    @transition(
        state,
        source=[
            State.SUBMITTED,
            State.FORWARDED,
            State.UNDER_REVIEW,
            State.MATERIALS_REQUESTED,
        ],
        target=State.WITHDRAWN,
        permission=perms.applicant,
    )
    def withdraw(self) -> None:
        """The applicant withdraws before a decision."""

    @transition(
        state,
        source=[State.GRANTED, State.LAWYER_ASSIGNED, State.IN_PROGRESS],
        target=State.TERMINATED,
        permission=perms.competent,
    )
    def terminate(self) -> None:
        """Aid ends early (article 48)."""

    @transition(
        state,
        source=[State.REFUSED, State.TERMINATED],
        target=State.OBJECTION_LODGED,
        permission=perms.applicant,
    )
    def lodge_objection(self) -> None:
        """The applicant objects to the justice bureau (article 49)."""

    @transition(
        state,
        source=State.OBJECTION_LODGED,
        target=State.OBJECTION_DECIDED,
        permission=perms.bureau,
    )
    def decide_objection(self) -> None:
        """The bureau upholds the centre or orders it to correct (within 5 days)."""


TRANSITION_NAMES = (
    "forward",
    "start_review",
    "request_materials",
    "supply_materials",
    "lapse",
    "grant",
    "grant_first",
    "complete_review",
    "refuse",
    "assign_lawyer",
    "begin",
    "close",
    "rate",
    "withdraw",
    "terminate",
    "lodge_objection",
    "decide_objection",
)


class ApplicationEvent(models.Model):
    """The workflow log: who took which transition, when, from and to which state, with a note."""

    application = models.ForeignKey(
        LegalAidApplication,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    transition = models.CharField(_("transition"), max_length=32)
    from_state = models.CharField(_("from"), max_length=24, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=24, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("workflow event")
        verbose_name_plural = _("workflow events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["application", "at"], name="la_event_app_at")]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_state} → {self.to_state}"


class ProgressNote(models.Model):
    """What the lawyer or centre did; the applicant sees these notes."""

    application = models.ForeignKey(
        LegalAidApplication,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="progress_notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    text = models.TextField(_("progress"))

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


def evidence_path(instance: Evidence, filename: str) -> str:
    """A random name: evidence is served only through the permission-checked view, and the
    name on disk must not be guessable should media ever be served directly."""
    import os
    import uuid

    today = timezone.localdate()
    extension = os.path.splitext(filename)[1].lower()[:5]
    return f"legal_aid/evidence/{today:%Y/%m}/{uuid.uuid4().hex}{extension}"


class Evidence(models.Model):
    """An uploaded document: first attached to a draft, then to the application."""

    draft = models.ForeignKey(
        "ApplicationDraft",
        verbose_name=_("draft"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
    )
    application = models.ForeignKey(
        LegalAidApplication,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
    )
    description = models.CharField(_("what it is"), max_length=120)
    file = models.FileField(_("file"), upload_to=evidence_path)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("type"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    for_materials_request = models.BooleanField(_("answers the materials request"), default=False)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class ApplicationDraft(models.Model):
    """The multi-step form's answers so far, kept between steps for the signed-in user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="legal_aid_drafts",
    )
    data = models.JSONField(_("answers"), default=dict, blank=True)
    step = models.PositiveSmallIntegerField(_("furthest step reached"), default=1)
    consultation = models.ForeignKey(
        "Consultation",
        verbose_name=_("12348 consultation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="drafts",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("application draft")
        verbose_name_plural = _("application drafts")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"draft {self.pk} of {self.user}"


# ---------------------------------------------------------------------------------------------
# The 12348 hotline
# ---------------------------------------------------------------------------------------------


def month_of(moment) -> str:
    """The local month of a moment, as YYYY-MM."""
    return timezone.localtime(moment).strftime("%Y-%m")


class Consultation(models.Model):
    """One call answered by the 12348 public legal-service hotline."""

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    caller_name = models.CharField(
        _("caller's name"), max_length=64, blank=True, validators=[validate_visible_text]
    )
    caller_phone = models.CharField(_("caller's phone"), max_length=20, db_index=True)
    topic = models.CharField(_("topic"), max_length=32, choices=Category.choices, db_index=True)
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
    handled_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    month = models.CharField(_("month"), max_length=7, db_index=True, blank=True, default="")
    suggest_application = models.BooleanField(
        _("the caller may be eligible for legal aid"), default=False
    )

    class Meta:
        verbose_name = _("12348 consultation")
        verbose_name_plural = _("12348 consultations")
        ordering = ["-handled_at"]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs) -> None:
        if not self.month and self.handled_at:
            self.month = month_of(self.handled_at)
        super().save(*args, **kwargs)


class AccessLog(models.Model):
    """Every opening of a full application record by staff."""

    application = models.ForeignKey(
        LegalAidApplication,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="access_logs",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=8, default="page")

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.application_id} {self.at:%Y-%m-%d %H:%M}"

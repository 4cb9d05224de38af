"""The legal-aid application: its vocabulary (Legal Aid Law articles 31, 32, 42, 44), its
state (the workflow table is legal_aid/workflows.py), and the records that follow it: progress
notes and evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField

from portal.validators import validate_mobile, validate_resident_id, validate_visible_text

from .hardship import HardshipResult
from .reference import Body, Centre, Lawyer


class MatterType(models.TextChoices):
    LITIGATION = "litigation", _("Litigation (a court or case-handling body)")
    NON_LITIGATION = "non_litigation", _("Non-litigation (arbitration, mediation, negotiation)")


class Category(models.TextChoices):
    """Civil and administrative matters of article 31, plus criminal matters."""

    STATE_COMPENSATION = "state_compensation", _("State compensation")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance or social assistance")
    PENSION = "pension", _("Survivors' pension (death benefits)")
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

# the states with a running time limit (legal_aid.selectors.overdue_q)
TIME_LIMITED_STATES = (
    *AWAITING_DECISION,
    State.GRANTED,
    State.MATERIALS_REQUESTED,
    State.OBJECTION_LODGED,
)

# a lawyer or the centre writes progress notes from the assignment until the case closes
TAKES_PROGRESS_NOTES = (State.LAWYER_ASSIGNED, State.IN_PROGRESS)


class Sex(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")


class AgeBand(models.TextChoices):
    """On the application date, from the resident identity number."""

    MINOR = "minor", _("Under 18")
    ADULT = "adult", _("18 to 59")
    ELDERLY = "elderly", _("60 and over")


class RecipientGroup(models.TextChoices):
    """The group the applicant belongs to, as they state it (受援人情况); minors and the elderly
    are counted by age band."""

    NONE = "", _("None of these")
    MIGRANT_WORKER = "migrant_worker", _("Migrant worker")
    DISABLED = "disabled", _("Person with a disability")
    MILITARY = "military", _("Serviceman, veteran or military family")
    WOMAN_VICTIM = "woman_victim", _("Woman or child harmed by domestic violence")


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


def month_of(moment) -> str:
    """The local month of a moment, as YYYY-MM."""
    return timezone.localtime(moment).strftime("%Y-%m")


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
    # counted in the statistics, never listed (from the identity number and the statement)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    age_band = models.CharField(_("age band"), max_length=8, choices=AgeBand.choices, blank=True)
    recipient_group = models.CharField(
        _("recipient group"), max_length=16, choices=RecipientGroup.choices, blank=True
    )
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
    # the hardship test on the application date (legal_aid/services/hardship.py, ADR 0107)
    hardship_result = models.CharField(
        _("hardship test"), max_length=16, choices=HardshipResult.choices, blank=True
    )
    hardship_standard = models.ForeignKey(
        "HardshipStandard",
        verbose_name=_("hardship standard applied"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    hardship_threshold = models.PositiveIntegerField(
        _("standard applied (yuan per person per month)"), null=True, blank=True
    )
    income_per_person = models.PositiveIntegerField(
        _("income per person per month (yuan)"), null=True, blank=True
    )

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
    handling_seconds = models.PositiveIntegerField(
        _("time from assignment to closing (seconds)"), null=True, blank=True
    )
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
            # the worklist's third branch (applications a centre accepted and forwarded): with the
            # state in the index, its open applications are found, and counted, without reading
            # the accepted-and-finished rows (ADR 0100)
            models.Index(fields=["accepting_centre", "state"], name="la_app_accept_state"),
            # the worklist's order within each branch of who sees an application (competent
            # centre, accepting centre), so a page reads only as far as it goes (ADR 0100)
            models.Index(
                fields=["competent_centre", "decision_due", "-submitted_at", "-id"],
                name="la_app_centre_worklist",
            ),
            models.Index(
                fields=["accepting_centre", "decision_due", "-submitted_at", "-id"],
                name="la_app_accept_worklist",
            ),
            models.Index(fields=["applicant", "-submitted_at"], name="la_app_applicant"),
            models.Index(fields=["state", "decision_due"], name="la_app_state_decision"),
            models.Index(fields=["state", "materials_due"], name="la_app_state_materials"),
            models.Index(fields=["channel"], name="la_app_channel"),
            # the statistics' "overdue now" (it changes with the date, so it is not rolled up):
            # the few applications whose time limit can run, with every column the count and its
            # GROUP BY read, so it is counted from this small index alone (ADR 0100)
            models.Index(
                fields=[
                    "competent_centre",
                    "state",
                    "decision_due",
                    "assignment_due",
                    "materials_due",
                    "objection_due",
                    "category",
                    "channel",
                    "month",
                    "submitted_at",
                ],
                name="la_app_overdue_stats",
                condition=Q(state__in=TIME_LIMITED_STATES),
            ),
            # the statistics' medians: the values in order, with what the scope and the period
            # filter on, so the ORDER BY ... OFFSET reads this narrow index, not the rows (the
            # other figures come from the rollup, legal_aid/rollups.py)
            models.Index(
                fields=["decision_seconds", "competent_centre", "submitted_at"],
                name="la_app_decision_median",
                condition=Q(decision_seconds__isnull=False),
            ),
            models.Index(
                fields=["assignment_seconds", "competent_centre", "submitted_at"],
                name="la_app_assignment_median",
                condition=Q(assignment_seconds__isnull=False),
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

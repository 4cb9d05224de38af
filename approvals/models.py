"""Cases (办件): acceptance points, the case, materials and hand-offs.

The case's workflow is declared once, as the table in :mod:`approvals.workflows` (steps, who may
take them, effects, notices, how each status is shown); :func:`portal.workflow.run` takes its
steps and writes the shared log (``Case.transitions``). ``status`` is never set anywhere else.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField
from simple_history.models import HistoricalRecords

from portal.catalogue.models import ServiceItem
from portal.validators import validate_visible_text


class PointKind(models.TextChoices):
    SERVICE_HALL = "service_hall", _("Service hall")
    ONLINE_PLATFORM = "online_platform", _("Online platform")
    SELF_SERVICE = "self_service", _("Self-service terminal")
    MOBILE = "mobile", _("Mobile app")


class AcceptancePoint(models.Model):
    """A place or channel where applications are received (受理点)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    region = models.ForeignKey(
        "catalogue.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="acceptance_points",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PointKind.choices)
    department = models.ForeignKey(
        "catalogue.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="acceptance_points",
        help_text=_("The government-service centre that runs the point, if any."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("acceptance point")
        verbose_name_plural = _("acceptance points")
        ordering = ["region_id", "code"]

    def __str__(self) -> str:
        return self.name


class PointStaff(models.Model):
    """Binds a staff user to the acceptance point where they receive applications."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="acceptance_post",
    )
    point = models.ForeignKey(
        AcceptancePoint,
        verbose_name=_("acceptance point"),
        on_delete=models.CASCADE,
        related_name="staff",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("acceptance-point staff")
        verbose_name_plural = _("acceptance-point staff")

    def __str__(self) -> str:
        return f"{self.user} @ {self.point}"


class ApplicantKind(models.TextChoices):
    PERSON = "person", pgettext_lazy("applicant", "Person")
    COMPANY = "company", pgettext_lazy("applicant", "Company")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    SERVICE_HALL = "service_hall", _("Service hall")
    SELF_SERVICE = "self_service", _("Self-service terminal")
    MOBILE = "mobile", _("Mobile app")
    PROACTIVE = "proactive", _("Proactive approval")


# Channels on which the system opens cases already accepted (never a person applying).
SYSTEM_CHANNELS = (Channel.PROACTIVE,)


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    ACCEPTED_WITH_MISSING_MATERIALS = (
        "accepted_with_missing_materials",
        _("Accepted with materials to follow"),
    )
    FORWARDED = "forwarded", _("Forwarded to the competent department")
    UNDER_REVIEW = "under_review", _("Under review")
    RETURNED_FOR_CORRECTION = "returned_for_correction", _("Returned for correction")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RESULT_ISSUED = "result_issued", _("Result issued")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", pgettext_lazy("case status", "Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REFUSED = "refused", _("Refused at acceptance")


# States in which the department's clock runs (a case in them can become overdue). The promised
# time limit runs from acceptance to the decision; it stops while returned for correction.
CLOCK_RUNNING = (
    Status.ACCEPTED,
    Status.ACCEPTED_WITH_MISSING_MATERIALS,
    Status.FORWARDED,
    Status.UNDER_REVIEW,
)
# States in which the applicant or the accepting point may still add materials.
MATERIALS_OPEN = (
    Status.SUBMITTED,
    Status.ACCEPTED_WITH_MISSING_MATERIALS,
    Status.RETURNED_FOR_CORRECTION,
)
WITHDRAWABLE = (
    Status.SUBMITTED,
    Status.ACCEPTED,
    Status.ACCEPTED_WITH_MISSING_MATERIALS,
    Status.FORWARDED,
    Status.UNDER_REVIEW,
    Status.RETURNED_FOR_CORRECTION,
)


class Case(models.Model):
    """One request for a service item, from application to result (办件)."""

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    item = models.ForeignKey(
        "catalogue.ServiceItem",
        verbose_name=_("item"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    applicant_kind = models.CharField(
        _("applicant kind"), max_length=16, choices=ApplicantKind.choices
    )
    applicant_id_number = models.CharField(
        _("applicant identity number"),
        max_length=18,
        help_text=_(
            "Resident identity number of a person, unified social credit code of a company."
        ),
    )
    applicant_name = models.CharField(
        _("applicant name"), max_length=128, validators=[validate_visible_text]
    )
    applicant_mobile = models.CharField(_("applicant mobile"), max_length=11, blank=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        db_index=False,  # case_applicant_idx starts with it
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    accepting_point = models.ForeignKey(
        AcceptancePoint,
        verbose_name=_("accepting point"),
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,  # case_point_idx starts with it
    )
    department = models.ForeignKey(
        "catalogue.Department",
        verbose_name=_("competent department"),
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,  # the case_dept_* indexes start with it
    )
    status = FSMField(_("status"), max_length=40, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    materials_due_on = models.DateField(
        _("missing materials due on"),
        null=True,
        blank=True,
        help_text=_("For acceptance with missing materials: the day they must be supplied by."),
    )
    missing_materials = models.JSONField(
        _("missing materials"),
        default=list,
        blank=True,
        help_text=_("Names of the required materials missing when it was accepted without them."),
    )
    materials_overdue_on = models.DateField(
        _("missing materials overdue since"),
        null=True,
        blank=True,
        help_text=_(
            "Set by the daily scan when the missing materials were not supplied by their "
            "deadline (the applicant is reminded once); cleared when they are supplied."
        ),
    )
    paused_on = models.DateField(
        _("clock paused on"),
        null=True,
        blank=True,
        help_text=_("Set while the applicant corrects the materials; the deadline moves on."),
    )
    paused_days = models.PositiveSmallIntegerField(_("working days paused"), default=0)
    returned_from = models.CharField(_("returned from"), max_length=40, blank=True)
    overdue = models.BooleanField(
        _("overdue"),
        default=False,
        help_text=_("Set by the daily deadline scan when the due date has passed."),
    )
    reasons = models.TextField(
        _("reasons"),
        blank=True,
        help_text=_("Why the case was refused, rejected or returned for correction."),
    )
    delivery = models.JSONField(_("delivery"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    smart_assessment = models.JSONField(
        _("smart approval checks"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_(
            "For an item with smart approval: each check on the application and its result, "
            "as the system assessed them when the application was submitted."
        ),
    )
    submission_key = models.CharField(
        _("submission key"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Identifies the application form it was submitted from: posting the same form "
            "again finds this case instead of making another."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The case's timeline: its rows of the shared workflow log.
    transitions = GenericRelation("workflow.WorkflowLog", related_query_name="case")
    # not stored: True on the case ``submit_case`` found for a form posted a second time
    resubmitted: bool = False

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["department", "due_on", "id"], name="case_dept_due_idx"),
            # the staff worklists read each (scope, status) in (due date, id) order (ADR 0122)
            models.Index(
                fields=["department", "status", "due_on", "id"], name="case_dept_worklist_idx"
            ),
            models.Index(fields=["accepting_point", "submitted_at"], name="case_point_idx"),
            models.Index(
                fields=["accepting_point", "status", "due_on", "id"],
                name="case_point_worklist_idx",
            ),
            models.Index(fields=["applicant_user", "submitted_at"], name="case_applicant_idx"),
            # The daily scan of materials to follow: only the (few) cases waiting for them.
            models.Index(
                fields=["materials_due_on"],
                name="case_materials_due_idx",
                condition=Q(status="accepted_with_missing_materials"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(applicant_kind__in=["person", "company"]),
                name="case_applicant_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("approvals:case_detail", args=[self.reference])

    # ----- derived flags -------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        from .workflows import CASE

        state = CASE.state(self.status)
        return not (state and state.final)

    @property
    def opened_by_system(self) -> bool:
        """Opened already accepted by the system (:func:`services.open_case_on_channel`)."""
        return self.channel in SYSTEM_CHANNELS

    @property
    def is_finished(self) -> bool:
        """Closed: the applicant may rate it (read by portal.ratings)."""
        return self.status == Status.CLOSED

    @property
    def clock_running(self) -> bool:
        return self.status in CLOCK_RUNNING

    @property
    def is_overdue(self) -> bool:
        """Past the due date while the department's clock runs (computed, not the stored flag)."""
        return bool(self.due_on and self.clock_running and self.due_on < timezone.localdate())

    @property
    def materials_overdue(self) -> bool:
        return bool(
            self.status == Status.ACCEPTED_WITH_MISSING_MATERIALS
            and self.materials_due_on
            and self.materials_due_on < timezone.localdate()
        )

    @property
    def needs_hand_off(self) -> bool:
        """Accepted at a hall outside the competent department's region: proxy handling."""
        from .selectors import point_in_department_region

        point = self.accepting_point
        if point.kind == PointKind.ONLINE_PLATFORM or self.opened_by_system:
            return False
        return not point_in_department_region(point, self.department)


class ReferenceCounter(models.Model):
    """The last reference number given out on a day; incremented under a row lock."""

    day = models.DateField(_("day"), primary_key=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"


class WorklistVersion(models.Model):
    """A number per worklist scope (``d<department id>``, ``p<acceptance point id>``, and ``*``
    for all of them) that the database replaces, in the transaction of every statement that
    writes a case of that scope (``*``: an acceptance point's row, or a TRUNCATE), by one it
    never used before (triggers in approvals/worklist_version.py). The staff worklist pages are
    cached under it (ADR 0123): a change shows on the next request, however it was written."""

    scope = models.CharField(_("scope"), max_length=24, primary_key=True)
    number = models.BigIntegerField(_("number"), default=0)

    class Meta:
        verbose_name = _("worklist version")
        verbose_name_plural = _("worklist versions")

    def __str__(self) -> str:
        return f"{self.scope}: {self.number}"


class MaterialKind(models.TextChoices):
    FILE = "file", _("Uploaded file")
    SHARED = "shared", _("Shared data record")
    COMMITMENT = "commitment", _("Commitment")
    PAPER = "paper", _("Paper original checked at the counter")


def material_upload_to(instance: CaseMaterial, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    day = timezone.localdate().strftime("%Y/%m/%d")
    return f"cases/{day}/{instance.case.reference}-{timezone.now().strftime('%H%M%S%f')}.{ext}"


class CaseMaterial(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="materials"
    )
    material = models.ForeignKey(
        "catalogue.Material",
        verbose_name=_("required material"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=MaterialKind.choices)
    file = models.FileField(_("file"), upload_to=material_upload_to, blank=True, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    shared_record = models.CharField(
        _("shared data record"),
        max_length=200,
        blank=True,
        help_text=_("Reference of the record fetched from shared government data."),
    )
    commitment_text = models.TextField(_("commitment text"), blank=True)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case material")
        verbose_name_plural = _("case materials")
        ordering = ["case", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    (Q(kind="file") & ~Q(file=""))
                    | (Q(kind="shared") & ~Q(shared_record=""))
                    | Q(kind="paper")
                    | (
                        Q(kind="commitment")
                        & ~Q(commitment_text="")
                        & Q(committed_at__isnull=False)
                    )
                ),
                name="case_material_has_content",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name_en(self) -> str:
        """The catalogue material's English name, for ``local_name`` on English pages (load
        ``material`` with the row; a material no longer in the catalogue has none)."""
        return self.material.name_en if self.material_id and self.material else ""


class HandOff(models.Model):
    """Proxy handling (帮办代办): a case handed from the accepting point to the department."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="hand_offs"
    )
    from_point = models.ForeignKey(
        AcceptancePoint,
        verbose_name=_("from point"),
        on_delete=models.PROTECT,
        related_name="hand_offs_sent",
    )
    to_department = models.ForeignKey(
        "catalogue.Department",
        verbose_name=_("to department"),
        on_delete=models.PROTECT,
        related_name="hand_offs_received",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("hand-off")
        verbose_name_plural = _("hand-offs")
        ordering = ["case", "sent_at"]
        indexes = [models.Index(fields=["to_department", "received_at"], name="handoff_dept_idx")]

    def __str__(self) -> str:
        return f"{self.case} → {self.to_department}"


# The log's step for a superuser's correction of a case in the admin (not a workflow step).
EDITED_BY_HAND = "edited_by_hand"


class ActorRole(models.TextChoices):
    POINT_STAFF = "point_staff", _("Acceptance-point staff")
    DEPARTMENT_STAFF = "department_staff", _("Competent department staff")
    APPLICANT = "applicant", _("Applicant")
    SYSTEM = "system", _("System")
    ADMINISTRATOR = "administrator", _("Administrator")


# ----- smart approval (智能审批): the conditions as data (ADR 0117) ---------------------------


class SmartField(models.TextChoices):
    """What a smart-approval check looks at: the application's own fields, or the shared
    registers (company and person registers, certificates) through the sources registered in
    :mod:`approvals.services.smart`."""

    APPLICANT_KIND = "applicant.kind", _("Applicant: kind (person or company)")
    APPLICANT_REGION = "applicant.region", _("Applicant: region code from the identity number")
    APPLICANT_MOBILE = "applicant.mobile", _("Applicant: mobile given")
    CHANNEL = "application.channel", _("Application: channel")
    MATERIALS = "application.materials", _("Application: names of the materials given")
    COMPANY_STATUS = "company.status", _("Company register: status")
    COMPANY_TYPE = "company.type", _("Company register: type")
    COMPANY_REGION = "company.region", _("Company register: registered region code")
    COMPANY_AGE = "company.age_years", _("Company register: years since establishment")
    PERSON_STATUS = "person.status", _("Person register: status")
    PERSON_REGION = "person.region", _("Person register: region code")
    CERTIFICATES_VALID = "certificates.valid", _("Certificates: types held and valid today")
    CERTIFICATES_HELD = "certificates.held", _("Certificates: types held (any status)")


class SmartOperator(models.TextChoices):
    EQUALS = "eq", _("equals")
    NOT_EQUALS = "ne", _("does not equal")
    ONE_OF = "in", _("is one of")
    NONE_OF = "not_in", _("is none of")
    STARTS_WITH = "startswith", _("starts with")
    INCLUDES = "includes", _("includes")
    EXCLUDES = "excludes", _("does not include")
    AT_LEAST = "gte", _("is at least")
    AT_MOST = "lte", _("is at most")
    PRESENT = "present", _("is present")


class SmartCheck(models.Model):
    """One condition of an item with smart approval: an application that meets all of its
    item's checks is approved at once by the system; one that does not goes to staff with the
    failed checks shown (:mod:`approvals.services.smart`)."""

    item = models.ForeignKey(
        "catalogue.ServiceItem",
        verbose_name=_("item"),
        on_delete=models.CASCADE,
        related_name="smart_checks",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    field = models.CharField(_("looks at"), max_length=32, choices=SmartField.choices)
    operator = models.CharField(_("operator"), max_length=16, choices=SmartOperator.choices)
    value = models.CharField(
        _("value"),
        max_length=200,
        blank=True,
        help_text=_(
            "One value; for “is one of” and “is none of”, values separated by commas; a whole "
            "number for “is at least” and “is at most”; empty for “is present”."
        ),
    )
    message = models.CharField(
        _("message (Chinese)"),
        max_length=200,
        validators=[validate_visible_text],
        help_text=_("What the check requires, shown with its result, e.g. 企业登记状态为存续."),
    )
    message_en = models.CharField(_("message (English)"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("smart approval check")
        verbose_name_plural = _("smart approval checks")
        ordering = ["item", "position", "id"]

    def __str__(self) -> str:
        return self.message

    def clean(self) -> None:
        from .services.smart import validate_check

        validate_check(self.field, self.operator, self.value)


class SmartItem(ServiceItem):
    """The service items in the admin's smart-approval section, where their checks are kept."""

    class Meta:
        proxy = True
        verbose_name = _("item with smart approval")
        verbose_name_plural = _("items with smart approval")

"""Who may see and change legal-aid records (ADR 0080): one policy per model, asked by the
worklists, the application pages, the API, the statistics, the PDFs, the evidence downloads and
the admin.

- Centres, bodies and lawyers are reference data: administrators keep them; legal-aid staff read
  them (the public lists of centres and bodies in the API and the routing are published data).
- A staff binding (StaffMembership) is granted by administrators only, never by the person it
  binds (the default policy).
- An application is read by the applicant (their own), the staff of its competent centre and of
  the centre where it was handed in, the justice bureau for the centres it supervises (its own
  centre and that centre's branches, which share its justice bureau) and administrators. It is a
  workflow record: it changes through the services, by hand only for superusers. Its progress
  notes and evidence follow it (its workflow log: the kernel's log policy asks this one).
- Who may take a step of its workflow: the predicates below (the ``who`` column of the table in
  legal_aid/workflows.py).
- A draft is its citizen's own; a 12348 consultation is seen by the staff of the centre whose
  member answered it (the bureau: its centres) and by the caller (same mobile number).
- The legal-aid access log: administrators read it, nobody writes it by hand.
- Identity numbers and mobiles are masked in the admin; the handling (competent) centre's staff
  see them in full, and that is logged (``AccessLog`` and ``portal.audit.record_view``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import Q

from portal.access import EVERYTHING, NOTHING, Policy, is_signed_in, is_superuser, register
from portal.accounts.permissions import is_administrator
from portal.validators import mask_identifier

from .models import (
    AccessLog,
    ApplicationDraft,
    Body,
    CaseOffer,
    Centre,
    Consultation,
    DutyRota,
    Evidence,
    HardshipStandard,
    LawFirm,
    Lawyer,
    LegalAidApplication,
    OfferState,
    ProgressNote,
    RotaEntry,
    StaffMembership,
    StaffRole,
)
from .permissions import lawyer_of, membership


def mask_resident_id(value: str) -> str:
    return mask_identifier(value, 6, 4)


# ---------------------------------------------------------------------------------------------
# Scopes: the centres a staff binding covers
# ---------------------------------------------------------------------------------------------


def covered_centres(binding: StaffMembership):
    """The centres a staff binding covers: its own, and for a bureau officer also that centre's
    branches (a subquery, so the querysets using it stay one query and keep their indexes)."""
    if binding.role == StaffRole.BUREAU:
        return Centre.objects.filter(
            Q(pk=binding.centre_id) | Q(parent_id=binding.centre_id)
        ).values("pk")
    return [binding.centre_id]


def centre_q(binding: StaffMembership, field: str) -> Q:
    """``field`` (a foreign key to Centre, as a lookup path) names a centre the binding covers."""
    return Q(**{f"{field}_id__in": covered_centres(binding)})


def covers(binding: StaffMembership | None, centre: Centre | None) -> bool:
    """Does the binding cover ``centre`` (the predicate form of :func:`centre_q`)?"""
    if binding is None or centre is None:
        return False
    if centre.pk == binding.centre_id:
        return True
    return binding.role == StaffRole.BUREAU and centre.parent_id == binding.centre_id


def application_q(user: Any, prefix: str = "") -> Q:
    """The applications ``user`` may read, as a Q over a model reaching them by ``prefix``."""
    if not is_signed_in(user):
        return NOTHING
    if is_administrator(user):
        return EVERYTHING
    q = Q(**{f"{prefix}applicant_id": user.pk})
    lawyer = lawyer_of(user)
    if lawyer is not None:
        # a lawyer reads the cases assigned to them and the one offered to them now
        offered = CaseOffer.objects.filter(lawyer_id=lawyer.pk, state=OfferState.OFFERED)
        q |= Q(**{f"{prefix}lawyer_id": lawyer.pk}) | Q(
            **{f"{prefix}pk__in": offered.values("application_id")}
        )
    binding = membership(user)
    if binding is not None:
        q |= centre_q(binding, f"{prefix}competent_centre") | centre_q(
            binding, f"{prefix}accepting_centre"
        )
    return q


def can_read_application(user: Any, app: LegalAidApplication) -> bool:
    """The predicate form of :func:`application_q`, over the ids on the record (with the
    centres select_related, no query beyond the user's binding)."""
    if not is_signed_in(user) or app is None:
        return False
    if is_administrator(user):
        return True
    if app.applicant_id is not None and app.applicant_id == user.pk:
        return True
    lawyer = lawyer_of(user)
    if lawyer is not None and (app.lawyer_id == lawyer.pk or offered_lawyer(user, app)):
        return True
    binding = membership(user)
    if binding is None:
        return False
    return covers(binding, app.competent_centre) or (
        app.accepting_centre_id is not None and covers(binding, app.accepting_centre)
    )


def handles(user: Any, app: LegalAidApplication) -> bool:
    """Staff of the competent centre, who handle the application (and need its personal data)."""
    binding = membership(user)
    return (
        binding is not None
        and binding.role == StaffRole.STAFF
        and binding.centre_id == app.competent_centre_id
    )


# ---------------------------------------------------------------------------------------------
# Who may take a workflow step (``user`` is None for the system)
# ---------------------------------------------------------------------------------------------


def is_applicant(user: Any, app: LegalAidApplication) -> bool:
    """The account that submitted the application."""
    return is_signed_in(user) and app.applicant_id is not None and app.applicant_id == user.pk


def competent_staff(user: Any, app: LegalAidApplication) -> bool:
    """Staff bound to the competent centre, who decide and run the case."""
    binding = membership(user)
    return binding is not None and binding.centre_id == app.competent_centre_id


def accepting_staff_or_system(user: Any, app: LegalAidApplication) -> bool:
    """Staff of the centre where it was handed in (the system forwards it at submission)."""
    if user is None:
        return True
    binding = membership(user)
    return binding is not None and binding.centre_id == app.accepting_centre_id


def competent_staff_or_lawyer(user: Any, app: LegalAidApplication) -> bool:
    """The competent centre's staff or the assigned lawyer."""
    if competent_staff(user, app):
        return True
    lawyer = app.lawyer if app.lawyer_id else None
    return (
        is_signed_in(user)
        and lawyer is not None
        and lawyer.user_id is not None
        and lawyer.user_id == user.pk
    )


def system_or_competent_staff(user: Any, app: LegalAidApplication) -> bool:
    """The system (right after a grant) or the competent centre's staff."""
    return user is None or competent_staff(user, app)


def is_system(user: Any, app: LegalAidApplication) -> bool:
    """Only the system (a scheduled run)."""
    return user is None


def offered_lawyer(user: Any, app: LegalAidApplication) -> bool:
    """The lawyer (by their account) to whom the case is offered now."""
    if not is_signed_in(user):
        return False
    return app.offers.filter(state=OfferState.OFFERED, lawyer__user_id=user.pk).exists()


def objection_bureau(user: Any, app: LegalAidApplication) -> bool:
    """A justice bureau officer bound to the competent centre or to its parent."""
    binding = membership(user)
    return (
        binding is not None
        and binding.role == StaffRole.BUREAU
        and covers(binding, app.competent_centre)
    )


def actor_role(user: Any, app: LegalAidApplication) -> str:
    """The role a step's actor acts in, for the workflow log."""
    if user is None:
        return "system"
    if is_applicant(user, app):
        return "applicant"
    binding = membership(user)
    if binding is not None:
        return binding.role
    return "lawyer" if competent_staff_or_lawyer(user, app) else ""


class StatisticsScope:
    """(applications Q, consultations Q) when unpacked, and ``key``: what decides them (``all``,
    or the binding's role and centre), so the figures' cache key needs no SQL compiled to tell
    scopes apart (``legal_aid.statistics.statistics_key``). The Qs are built when first unpacked:
    a view served from the cache never builds their subqueries (ADR 0123)."""

    def __init__(self, key: str, build: Callable[[], tuple[Q, Q]]) -> None:
        self.key = key
        self._build = build

    @functools.cached_property
    def _terms(self) -> tuple[Q, Q]:
        return self._build()

    def __iter__(self) -> Iterator[Q]:
        return iter(self._terms)


def statistics_q(user: Any) -> StatisticsScope | None:
    """The applications and 12348 consultations whose figures ``user`` may read: a centre's
    staff their centre's, the bureau its centres', administrators all. None: no statistics."""
    if is_administrator(user):
        return StatisticsScope("all", lambda: (EVERYTHING, EVERYTHING))
    binding = membership(user)
    if binding is None:
        return None

    def build() -> tuple[Q, Q]:
        centres = covered_centres(binding)
        # the calls of the centres' staff, as a list of handlers: the planner starts from the
        # few staff and their calls (an index), not from every call joined to its handler's
        # binding
        handlers = StaffMembership.objects.filter(centre_id__in=centres).values("user_id")
        # and the calls the centres' hotline lawyers recorded themselves
        lawyers = Lawyer.objects.filter(centre_id__in=centres, user__isnull=False).values("user_id")
        return (
            Q(competent_centre_id__in=centres),
            Q(handled_by_id__in=handlers) | Q(handled_by_id__in=lawyers),
        )

    return StatisticsScope(f"{binding.role}:{binding.centre_id}", build)


def _is_legal_aid_staff(user: Any) -> bool:
    return membership(user) is not None


# ---------------------------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------------------------


class ReferenceDataPolicy(Policy):
    """Administrators change it; legal-aid staff read it."""

    def visible(self, user: Any) -> Q:
        if is_administrator(user) or _is_legal_aid_staff(user):
            return EVERYTHING
        return NOTHING


@register
class CentrePolicy(ReferenceDataPolicy):
    model = Centre


@register
class BodyPolicy(ReferenceDataPolicy):
    model = Body


@register
class HardshipStandardPolicy(ReferenceDataPolicy):
    model = HardshipStandard


@register
class LawFirmPolicy(ReferenceDataPolicy):
    model = LawFirm


@register
class DutyRotaPolicy(ReferenceDataPolicy):
    """Legal-aid staff read every rota; a centre's staff keep their centre's rotas (who is on
    duty, in which order and weight: ADR 0106), administrators any and add new ones."""

    model = DutyRota
    centre_field = "centre"

    def changeable(self, user: Any) -> Q:
        if is_administrator(user):
            return EVERYTHING
        binding = membership(user)
        return centre_q(binding, self.centre_field) if binding is not None else NOTHING


@register
class RotaEntryPolicy(DutyRotaPolicy):
    """A rota's lines follow their rota: its centre's staff add, move and remove them."""

    model = RotaEntry  # type: ignore[assignment]
    centre_field = "rota__centre"

    def can_add(self, user: Any) -> bool:
        return self.may_change_some(user)

    def can_delete(self, user: Any, obj: RotaEntry | None = None) -> bool:  # type: ignore[override]
        return self.may_change_some(user) if obj is None else self.can_change(user, obj)


@register
class LawyerPolicy(ReferenceDataPolicy):
    model = Lawyer
    personal_fields = {"phone": mask_identifier}

    def reveals(self, user: Any, obj: Lawyer) -> bool:
        return is_administrator(user)


@register
class StaffMembershipPolicy(Policy):
    """Bindings: administrators only (never the person bound)."""

    model = StaffMembership

    def changeable(self, user: Any) -> Q:
        if not is_administrator(user):
            return NOTHING
        return EVERYTHING if is_superuser(user) else ~Q(user_id=user.pk)

    def can_change(self, user: Any, obj: StaffMembership) -> bool:
        return is_superuser(user) or (is_administrator(user) and obj.user_id != user.pk)

    def can_delete(self, user: Any, obj: StaffMembership | None = None) -> bool:
        return self.can_change(user, obj) if obj is not None else is_administrator(user)


# ---------------------------------------------------------------------------------------------
# Applications and their workflow records
# ---------------------------------------------------------------------------------------------


@register
class LegalAidApplicationPolicy(Policy):
    model = LegalAidApplication
    workflow_record = True
    personal_fields = {"resident_id": mask_resident_id, "phone": mask_identifier}

    def visible(self, user: Any) -> Q:
        return application_q(user)

    def can_view(self, user: Any, obj: LegalAidApplication) -> bool:
        return can_read_application(user, obj)

    def reveals(self, user: Any, obj: LegalAidApplication) -> bool:
        return is_superuser(user) or handles(user, obj)


class _FollowsApplication(Policy):
    """A record read with its application; changed through the services only."""

    workflow_record = True

    def visible(self, user: Any) -> Q:
        return application_q(user, "application__")

    def can_view(self, user: Any, obj: Any) -> bool:
        return can_read_application(user, obj.application)


@register
class CaseOfferPolicy(_FollowsApplication):
    model = CaseOffer


@register
class ProgressNotePolicy(_FollowsApplication):
    model = ProgressNote


@register
class EvidencePolicy(Policy):
    """Uploaded material: as its application; before submission, the draft's owner."""

    model = Evidence
    workflow_record = True

    def visible(self, user: Any) -> Q:
        if not is_signed_in(user):
            return NOTHING
        q = application_q(user, "application__")
        if q == EVERYTHING:
            return q
        return q & Q(application__isnull=False) | Q(draft__user_id=user.pk)

    def can_view(self, user: Any, obj: Evidence) -> bool:
        if obj.application_id is not None:
            return can_read_application(user, obj.application)
        return (
            is_signed_in(user)
            and obj.draft_id is not None
            and (obj.draft.user_id == user.pk or is_administrator(user))
        )


@register
class ApplicationDraftPolicy(Policy):
    """The citizen's own (administrators see them; nobody edits them by hand)."""

    model = ApplicationDraft
    workflow_record = True

    def visible(self, user: Any) -> Q:
        if not is_signed_in(user):
            return NOTHING
        return EVERYTHING if is_administrator(user) else Q(user_id=user.pk)

    def can_view(self, user: Any, obj: ApplicationDraft) -> bool:
        return is_signed_in(user) and (obj.user_id == user.pk or is_administrator(user))


# ---------------------------------------------------------------------------------------------
# The 12348 hotline and the access log
# ---------------------------------------------------------------------------------------------


def caller_q(user: Any) -> Q:
    """The consultations made from ``user``'s mobile number."""
    mobile = getattr(user, "mobile", None) if is_signed_in(user) else None
    return Q(caller_phone=mobile) if mobile else NOTHING


def is_caller(user: Any, consultation: Consultation) -> bool:
    mobile = getattr(user, "mobile", None) if is_signed_in(user) else None
    return bool(mobile) and consultation.caller_phone == mobile


@register
class ConsultationPolicy(Policy):
    model = Consultation
    workflow_record = True
    personal_fields = {"caller_phone": mask_identifier}

    def staff_q(self, user: Any) -> Q:
        binding = membership(user)
        if binding is None:
            return NOTHING
        return centre_q(binding, "handled_by__legal_aid_membership__centre") | centre_q(
            binding, "handled_by__legal_aid_lawyer__centre"
        )

    def visible(self, user: Any) -> Q:
        if not is_signed_in(user):
            return NOTHING
        if is_administrator(user):
            return EVERYTHING
        q = self.staff_q(user)
        if lawyer_of(user) is not None:  # a hotline lawyer: the calls they took
            q = Q(handled_by_id=user.pk) if q == NOTHING else q | Q(handled_by_id=user.pk)
        caller = caller_q(user)
        if caller != NOTHING:
            q = caller if q == NOTHING else q | caller
        return q

    def reveals(self, user: Any, obj: Consultation) -> bool:
        if is_superuser(user):
            return True
        binding = membership(user)
        if binding is None or binding.role != StaffRole.STAFF or obj.handled_by_id is None:
            return False
        return StaffMembership.objects.filter(
            user_id=obj.handled_by_id, centre_id=binding.centre_id
        ).exists()


@register
class AccessLogPolicy(Policy):
    """Administrators read it; nobody writes, changes or deletes it by hand."""

    model = AccessLog

    def changeable(self, user: Any) -> Q:
        return NOTHING

    def can_add(self, user: Any) -> bool:
        return False

    def can_delete(self, user: Any, obj: AccessLog | None = None) -> bool:
        return False

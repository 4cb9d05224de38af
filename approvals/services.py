"""Commands that change cases. Each runs in one transaction; notifications go out after commit.

Public interface (also used by ``approvals.proactive``):

- :func:`submit_case` — a citizen's online application or a walk-in recorded by point staff;
- :func:`open_proactive_case` — a case opened already accepted by proactive approval;
- :func:`transition` — take one workflow action on a case (row locked, re-checked, logged);
- :func:`rate_case` — the applicant's rating of a closed case;
- :func:`scan_deadlines` — the daily set-based overdue flagging and reminders;
- :func:`scan_missing_materials` — the daily set-based check of materials to follow.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from portal.catalogue.models import Department, Material, MaterialSource, ServiceItem
from portal.uploads import check_upload
from portal.validators import (
    mask_identifier,
    validate_resident_id,
    validate_uscc,
    validate_visible_text,
)
from portal.workdays import add_working_days

from . import permissions as perms
from . import selectors
from .models import (
    ACTIONS,
    CLOCK_RUNNING,
    MATERIALS_OPEN,
    AcceptancePoint,
    ApplicantKind,
    Case,
    CaseMaterial,
    CaseTransition,
    Channel,
    HandOff,
    MaterialKind,
    PointKind,
    ReferenceCounter,
    Status,
)

logger = logging.getLogger(__name__)

REFERENCE_PREFIX = "QD"
DEFAULT_MATERIALS_DAYS = 5  # working days to supply missing materials, when not given
REMINDER_WORKING_DAYS = 2  # remind the department this many working days before the deadline


class NotAcceptableHere(ValidationError):
    """The accepting point may not accept the item (names the rule and the places instead)."""

    def __init__(self, decision: selectors.AcceptanceDecision):
        super().__init__(decision.message, code="not_acceptable_here")
        self.decision = decision


class TransitionRefused(Exception):
    """A transition that cannot be taken: ``code`` is ``not_allowed_now`` (the state has moved
    on, e.g. someone else acted first), ``forbidden`` (not this user's role), ``unknown_action``,
    ``invalid`` (missing or bad data, ``errors`` holds the field messages), ``materials_missing``
    (accepting, or confirming the materials, while required materials are missing: ``missing``
    names them) or ``nothing_missing`` (accepting with materials to follow when none is)."""

    def __init__(
        self,
        message: str,
        code: str,
        errors: dict | None = None,
        missing: list[str] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.errors = errors or {}
        self.missing = missing or []


# ----- references ----------------------------------------------------------------------------


def next_reference(day: datetime.date | None = None) -> str:
    """The next reference of the day, e.g. ``QD20261124-000123``.

    The day's counter row is incremented with an UPDATE, which holds its row lock until the
    surrounding transaction ends, so two applications at once never get the same number."""
    day = day or timezone.localdate()
    with transaction.atomic():
        ReferenceCounter.objects.get_or_create(day=day)
        ReferenceCounter.objects.filter(day=day).update(last=F("last") + 1)
        number = ReferenceCounter.objects.filter(day=day).values_list("last", flat=True).get()
    return f"{REFERENCE_PREFIX}{day:%Y%m%d}-{number:06d}"


# ----- applications --------------------------------------------------------------------------


def validate_applicant(item: ServiceItem, applicant_kind: str, id_number: str) -> None:
    errors: dict[str, list] = {}
    if applicant_kind not in ApplicantKind.values:
        errors["applicant_kind"] = [_("Choose person or company.")]
    elif item.applicant_kind not in ("both", applicant_kind):
        if item.applicant_kind == "person":
            errors["applicant_kind"] = [_("Only a person may apply for this item.")]
        else:
            errors["applicant_kind"] = [_("Only a company may apply for this item.")]
    else:
        try:
            if applicant_kind == ApplicantKind.PERSON:
                validate_resident_id(id_number)
            else:
                validate_uscc(id_number)
        except ValidationError as exc:
            errors["applicant_id_number"] = exc.messages
    if errors:
        raise ValidationError(errors)


CHANNEL_FLAGS = {
    Channel.ONLINE: "online",
    Channel.SERVICE_HALL: "service_hall",
    Channel.SELF_SERVICE: "self_service",
    Channel.MOBILE: "mobile",
}


def validate_channel(item: ServiceItem, channel: str, point: AcceptancePoint) -> None:
    if channel not in CHANNEL_FLAGS:
        raise ValidationError({"channel": [_("Choose a valid channel.")]})
    if not getattr(item, CHANNEL_FLAGS[channel]):
        raise ValidationError(
            {
                "channel": [
                    _("“%(item)s” cannot be applied for through this channel (%(channel)s).")
                    % {"item": item.name, "channel": Channel(channel).label}
                ]
            }
        )
    if channel == Channel.SERVICE_HALL and point.kind != PointKind.SERVICE_HALL:
        raise ValidationError(
            {"accepting_point": [_("A walk-in application is recorded at a service hall.")]}
        )
    if channel == Channel.SELF_SERVICE and point.kind != PointKind.SELF_SERVICE:
        raise ValidationError(
            {"accepting_point": [_("Choose a self-service terminal for this channel.")]}
        )
    if not point.is_active:
        raise ValidationError({"accepting_point": [_("This acceptance point is closed.")]})


def _material_id(entry: dict) -> int | None:
    material = entry.get("material")
    if isinstance(material, Material):
        return material.pk
    return int(material) if material not in (None, "") else None


def _uploaded_material(case: Case, material: Material, upload) -> CaseMaterial:
    """A file the applicant uploaded for ``material`` (not saved yet), checked for type and size
    (ValidationError)."""
    content_type = check_upload(upload)
    return CaseMaterial(
        case=case,
        material=material,
        name=material.name,
        kind=MaterialKind.FILE,
        file=upload,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
    )


def build_materials(
    case: Case, item_materials: Iterable[Material], given: Iterable[dict], now: datetime.datetime
) -> list[CaseMaterial]:
    """The case's materials from what the applicant gave, checking what the item requires.

    Shared-data materials are fetched automatically; commitments need a tick; uploads are checked
    for type and size. Errors are keyed ``material_<id>``."""
    by_id: dict[int, dict] = {}
    extra: list[dict] = []
    for entry in given:
        material_id = _material_id(entry)
        if material_id is None:
            extra.append(entry)
        else:
            by_id[material_id] = entry
    errors: dict[str, list] = {}
    rows: list[CaseMaterial] = []
    allow_missing = case.item.missing_materials_allowed
    for material in item_materials:
        key = f"material_{material.pk}"
        entry = by_id.pop(material.pk, {})
        if material.source == MaterialSource.SHARED:
            record = entry.get("shared_record") or (
                f"共享数据/{material.name}/{mask_identifier(case.applicant_id_number)}"
            )
            rows.append(
                CaseMaterial(
                    case=case,
                    material=material,
                    name=material.name,
                    kind=MaterialKind.SHARED,
                    shared_record=record[:200],
                )
            )
        elif material.source == MaterialSource.COMMITMENT:
            if entry.get("committed"):
                text = material.commitment_text or _(
                    "I commit that the information I have given about “%(name)s” is true."
                ) % {"name": material.name}
                rows.append(
                    CaseMaterial(
                        case=case,
                        material=material,
                        name=material.name,
                        kind=MaterialKind.COMMITMENT,
                        commitment_text=text,
                        committed_at=now,
                    )
                )
            elif material.required:
                errors[key] = [_("Tick the commitment to continue.")]
        else:
            upload = entry.get("file")
            if entry.get("paper"):
                rows.append(
                    CaseMaterial(
                        case=case, material=material, name=material.name, kind=MaterialKind.PAPER
                    )
                )
            elif upload:
                try:
                    rows.append(_uploaded_material(case, material, upload))
                except ValidationError as exc:
                    errors[key] = exc.messages
            elif material.required and not allow_missing:
                errors[key] = [_("Upload this material.")]
    for material_id in by_id:
        errors[f"material_{material_id}"] = [_("This material does not belong to the item.")]
    for entry in extra:
        kind = entry.get("kind")
        if kind == MaterialKind.SHARED and entry.get("shared_record"):
            rows.append(
                CaseMaterial(
                    case=case,
                    name=entry.get("name") or _("Shared data record"),
                    kind=MaterialKind.SHARED,
                    shared_record=entry["shared_record"][:200],
                )
            )
        elif kind == MaterialKind.COMMITMENT and entry.get("commitment_text"):
            rows.append(
                CaseMaterial(
                    case=case,
                    name=entry.get("name") or _("Commitment"),
                    kind=MaterialKind.COMMITMENT,
                    commitment_text=entry["commitment_text"],
                    committed_at=now,
                )
            )
        else:
            errors.setdefault("materials", []).append(
                _("Each material needs the required material it answers, or a shared record.")
            )
    if errors:
        raise ValidationError(errors)
    return rows


# Channels on which point staff record an application made in person, for the applicant.
COUNTER_CHANNELS = (Channel.SERVICE_HALL, Channel.SELF_SERVICE)


def counter_point(user: Any, point: AcceptancePoint | None = None) -> AcceptancePoint:
    """The acceptance point at which ``user`` records an application made in person (at a
    hall's counter or a self-service terminal): the point they work at. Raises PermissionDenied
    for a user who works at no point, or when ``point`` is another point than theirs."""
    point_id = perms.point_id_of(user)
    if point_id is None:
        raise PermissionDenied(_("Only acceptance-point staff record walk-in applications."))
    if point is not None and point.pk != point_id:
        raise PermissionDenied(_("You record applications at your own point."))
    return point or user.acceptance_post.point


def submit_case(
    *,
    item: ServiceItem,
    applicant_kind: str,
    applicant_id_number: str,
    applicant_name: str,
    channel: str,
    accepting_point: AcceptancePoint | None = None,
    applicant_mobile: str = "",
    applicant_user: Any = None,
    materials: Iterable[dict] = (),
    by: Any = None,
    note: str = "",
    submission_key: str | None = None,
) -> Case:
    """Record an application (online, mobile, self-service or a walk-in at a hall).

    ``submission_key`` (:mod:`portal.idempotency`) identifies the form it came from: when a case
    with that key exists, that case is returned and nothing new is recorded, however often or
    fast the form is posted (two posts at once: the unique index lets one insert, the other
    finds it); the case found then has ``resubmitted = True``.

    Raises :class:`NotAcceptableHere` when the point may not accept the item, and
    ValidationError (keyed by field) for bad applicant data, channel or materials."""
    if submission_key:
        existing = Case.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            existing.resubmitted = True
            return existing
    if accepting_point is None:
        accepting_point = selectors.online_platform()
    if not item.is_active:
        raise ValidationError({"item": [_("This item is no longer offered.")]})
    applicant_id_number = (applicant_id_number or "").strip().upper()
    validate_applicant(item, applicant_kind, applicant_id_number)
    validate_channel(item, channel, accepting_point)
    if not (applicant_name or "").strip():
        raise ValidationError({"applicant_name": [_("Enter the applicant's name.")]})
    try:
        validate_visible_text(applicant_name)
    except ValidationError as exc:
        raise ValidationError({"applicant_name": exc.messages}) from None
    decision = selectors.acceptance_decision(item, accepting_point)
    if not decision.allowed:
        raise NotAcceptableHere(decision)

    now = timezone.now()
    item_materials = list(item.materials.all())
    try:
        return _record_case(
            item=item,
            applicant_kind=applicant_kind,
            applicant_id_number=applicant_id_number,
            applicant_name=applicant_name,
            applicant_mobile=applicant_mobile,
            applicant_user=applicant_user,
            channel=channel,
            accepting_point=accepting_point,
            item_materials=item_materials,
            materials=materials,
            by=by,
            note=note,
            submission_key=submission_key,
            now=now,
        )
    except IntegrityError:
        # Another post of the same form won the race: its case is the one.
        existing = (
            Case.objects.filter(submission_key=submission_key).first() if submission_key else None
        )
        if existing is None:
            raise
        existing.resubmitted = True
        return existing


def _record_case(
    *,
    item: ServiceItem,
    applicant_kind: str,
    applicant_id_number: str,
    applicant_name: str,
    applicant_mobile: str,
    applicant_user: Any,
    channel: str,
    accepting_point: AcceptancePoint,
    item_materials: list[Material],
    materials: Iterable[dict],
    by: Any,
    note: str,
    submission_key: str | None,
    now: datetime.datetime,
) -> Case:
    with transaction.atomic():
        case = Case(
            reference="",
            item=item,
            applicant_kind=applicant_kind,
            applicant_id_number=applicant_id_number,
            applicant_name=applicant_name.strip(),
            applicant_mobile=applicant_mobile or "",
            applicant_user=applicant_user,
            channel=channel,
            accepting_point=accepting_point,
            department=item.department,
            status=Status.SUBMITTED,
            submitted_at=now,
            note=note,
            submission_key=submission_key or None,
        )
        case.reference = next_reference(timezone.localdate(now))
        rows = build_materials(case, item_materials, materials, now)
        case.save()
        CaseMaterial.objects.bulk_create(rows)
        log = CaseTransition.objects.create(
            case=case,
            action="submit",
            source="",
            target=Status.SUBMITTED,
            by=by,
            by_role=perms.actor_role(case, by) if by else "applicant",
            at=now,
            note=note,
        )
        transaction.on_commit(partial(notify_transition, case.pk, log.pk), robust=True)
    return case


def open_proactive_case(
    *,
    item: ServiceItem,
    applicant_kind: str,
    applicant_id_number: str,
    applicant_name: str,
    applicant_user: Any = None,
    department: Department | None = None,
    materials: Iterable[dict] = (),
    delivery: dict | None = None,
    note: str = "",
) -> Case:
    """A case opened by proactive approval: already ACCEPTED on the ``proactive`` channel at the
    online platform (no acceptance-point check), deadline started, logged as by the system.

    ``materials`` are dicts ``{"kind": "shared"|"commitment", "name", "shared_record" or
    "commitment_text", optionally "material": id}``."""
    applicant_id_number = (applicant_id_number or "").strip().upper()
    validate_applicant(item, applicant_kind, applicant_id_number)
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        case = Case(
            reference=next_reference(today),
            item=item,
            applicant_kind=applicant_kind,
            applicant_id_number=applicant_id_number,
            applicant_name=applicant_name,
            applicant_mobile=getattr(applicant_user, "mobile", "") or "",
            applicant_user=applicant_user,
            channel=Channel.PROACTIVE,
            accepting_point=selectors.online_platform(),
            department=department or item.department,
            status=Status.ACCEPTED,
            submitted_at=now,
            accepted_on=today,
            due_on=add_working_days(today, item.promised_limit_days),
            delivery=dict(delivery or {}),
            note=note,
        )
        rows = build_materials(case, [], [dict(m) for m in materials], now)
        case.save()
        CaseMaterial.objects.bulk_create(rows)
        log = CaseTransition.objects.create(
            case=case,
            action="open_proactive",
            source="",
            target=Status.ACCEPTED,
            by=None,
            by_role="system",
            at=now,
            note=note,
        )
        transaction.on_commit(partial(notify_transition, case.pk, log.pk), robust=True)
    return case


# ----- the workflow --------------------------------------------------------------------------


def _coerce_date(value: Any, field: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise TransitionRefused(
            _("Enter a valid date."), "invalid", {field: [_("Enter a valid date.")]}
        ) from None


def _transition_data(case: Case, action: str, note: str, data: dict, today) -> dict:
    kwargs: dict[str, Any] = {}
    if "reasons" in ACTIONS[action]["needs"]:
        reasons = (data.get("reasons") or note or "").strip()
        if not reasons:
            raise TransitionRefused(
                _("Give the reasons."), "invalid", {"reasons": [_("Give the reasons.")]}
            )
        kwargs["reasons"] = reasons
    if action == "accept_with_missing_materials":
        due = data.get("materials_due_on")
        due = (
            _coerce_date(due, "materials_due_on")
            if due
            else add_working_days(today, DEFAULT_MATERIALS_DAYS)
        )
        if due <= today:
            raise TransitionRefused(
                _("The date to supply the materials must be in the future."),
                "invalid",
                {
                    "materials_due_on": [
                        _("The date to supply the materials must be in the future.")
                    ]
                },
            )
        kwargs["materials_due_on"] = due
    return kwargs


# Actions that look at the required materials (see selectors.unanswered_materials).
MATERIALS_CHECKED = ("accept", "accept_with_missing_materials", "supply_materials")


def _check_materials(case: Case, action: str) -> dict[str, Any]:
    """Plain acceptance and "materials supplied" need every required material; acceptance with
    materials to follow (容缺受理) needs at least one missing, and records which."""
    missing = [material.name for material in selectors.missing_materials(case)]
    if action == "accept_with_missing_materials":
        if not missing:
            raise TransitionRefused(
                _("Every required material of case %(reference)s has been supplied: accept it.")
                % {"reference": case.reference},
                "nothing_missing",
            )
        return {"missing_materials": missing}
    if missing:
        names = "、".join(missing)
        if action == "accept":
            message = _(
                "Case %(reference)s cannot be accepted: these required materials have not been "
                "supplied: %(materials)s."
            ) % {"reference": case.reference, "materials": names}
            if case.item.missing_materials_allowed:
                message += " " + _("You may accept it with materials to follow instead.")
        else:
            message = _("These required materials have not been supplied yet: %(materials)s.") % {
                "materials": names
            }
        raise TransitionRefused(message, "materials_missing", missing=missing)
    return {}


def transition(case_id: int, action: str, *, user: Any = None, note: str = "", **data) -> Case:
    """Take ``action`` on the case: lock the row, re-check state and permission, apply, log.

    ``user=None`` is the system (tasks, the courier's webhook). Raises :class:`TransitionRefused`
    with a message the user can read when the action is not possible (now) for them.
    Notifications are sent after the transaction commits. The django-fsm ``post_transition``
    signal fires inside the transaction, before the case is saved: listeners should put their
    side effects in ``transaction.on_commit``."""
    if action not in ACTIONS:
        raise TransitionRefused(_("Unknown action."), "unknown_action")
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("item", "department", "accepting_point")
            .filter(pk=case_id)
            .first()
        )
        if case is None:
            raise TransitionRefused(_("There is no such case."), "not_found")
        method = getattr(case, action)
        if not can_proceed(method):
            raise TransitionRefused(
                _("Case %(reference)s is now “%(status)s”: “%(action)s” is no longer possible.")
                % {
                    "reference": case.reference,
                    "status": case.get_status_display(),
                    "action": ACTIONS[action]["label"],
                },
                "not_allowed_now",
            )
        if not has_transition_perm(method, user):
            raise TransitionRefused(
                _("You may not take the action “%(action)s” on case %(reference)s.")
                % {"action": ACTIONS[action]["label"], "reference": case.reference},
                "forbidden",
            )
        kwargs = _transition_data(case, action, note, data, today)
        log_note = note or kwargs.get("reasons", "")
        if action in MATERIALS_CHECKED:
            kwargs.update(_check_materials(case, action))
            if action == "accept_with_missing_materials":
                record = _("Accepted without: %(materials)s; to be supplied by %(date)s.") % {
                    "materials": "、".join(kwargs["missing_materials"]),
                    "date": kwargs["materials_due_on"].isoformat(),
                }
                log_note = f"{log_note}\n{record}" if log_note else record
        source = case.status
        role = perms.actor_role(case, user)
        method(now=now, today=today, note=note, **kwargs)
        case.save()
        log = CaseTransition.objects.create(
            case=case,
            action=action,
            source=source,
            target=case.status,
            by=user,
            by_role=role,
            at=now,
            note=log_note,
        )
        if action == "forward":
            HandOff.objects.create(
                case=case,
                from_point=case.accepting_point,
                to_department=case.department,
                sent_by=user,
                sent_at=now,
                note=note,
            )
        elif action == "receive":
            HandOff.objects.filter(case=case, received_at__isnull=True).update(
                received_by=user, received_at=now
            )
        transaction.on_commit(partial(notify_transition, case.pk, log.pk), robust=True)
    return case


def add_material(case: Case, material: Material, upload, *, user: Any) -> CaseMaterial:
    """An applicant (or point staff) adds a file to an open case, e.g. a missing material."""
    if not perms.applicant_or_point_staff(case, user):
        raise ValidationError(_("You may not add materials to this case."), code="forbidden")
    if case.status not in MATERIALS_OPEN:
        raise ValidationError(_("Materials can no longer be added to this case."), code="state")
    if material.item_id != case.item_id:
        raise ValidationError(_("This material does not belong to the item."), code="material")
    row = _uploaded_material(case, material, upload)
    row.save()
    return row


# ----- notifications -------------------------------------------------------------------------


def notify_transition(case_id: int, log_id: int) -> None:
    """After commit: tell the applicant what happened, and on a hand-off the competent
    department's staff (idempotent: keyed by the log entry)."""
    from django.conf import settings

    from portal.notifications.services import send_bulk, to_person

    case = (
        Case.objects.select_related("applicant_user", "item", "accepting_point")
        .filter(pk=case_id)
        .first()
    )
    log = CaseTransition.objects.filter(pk=log_id).first()
    if case is None or log is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Case %(reference)s: %(status)s") % {
            "reference": case.reference,
            "status": log.target_label,
        }
        body = _("Your application for “%(item)s” is now: %(status)s.") % {
            "item": case.item.name,
            "status": log.target_label,
        }
        if case.reasons and log.target in (
            Status.REFUSED,
            Status.REJECTED,
            Status.RETURNED_FOR_CORRECTION,
        ):
            body += " " + _("Reasons: %(reasons)s") % {"reasons": case.reasons}
    link = case.get_absolute_url()
    messages = to_person(
        user=case.applicant_user,
        mobile=case.applicant_mobile,
        subject=subject,
        body=body,
        link=link,
        key=f"case-log-{log_id}",
    )
    if log.action == "forward":
        messages += _department_messages(case, log, link)
    send_bulk(messages)


def _department_messages(case: Case, log: CaseTransition, link: str) -> list:
    """A case handed off to the competent department: its staff find it in their inbox."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from portal.notifications.services import OutgoingMessage

    staff = get_user_model().objects.filter(
        role=perms.DEPARTMENT_STAFF_ROLE, department_id=case.department_id, is_active=True
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Case %(reference)s handed over by %(point)s") % {
            "reference": case.reference,
            "point": case.accepting_point.name,
        }
        body = _("“%(item)s” for %(applicant)s was accepted at %(point)s; receive it to start.") % {
            "item": case.item.name,
            "applicant": case.applicant_name,
            "point": case.accepting_point.name,
        }
    return [
        OutgoingMessage(
            channel="inbox",
            recipient=user,
            subject=subject,
            body=body,
            link=link,
            key=f"case-log-{log.pk}-staff-{user.pk}",
        )
        for user in staff
    ]


# ----- ratings -------------------------------------------------------------------------------


def rate_case(case: Case, *, user: Any, score: int, comment: str = ""):
    """The applicant rates a closed case (好差评)."""
    from portal.ratings.services import rate

    if not perms.applicant(case, user):
        raise ValidationError(_("Only the applicant may rate this case."), code="forbidden")
    if case.status != Status.CLOSED:
        raise ValidationError(_("A case can be rated once it is closed."), code="not_closed")
    return rate(
        subject=case,
        user=user,
        score=score,
        comment=comment,
        department=case.department,
        item=case.item,
    )


# ----- deadlines -----------------------------------------------------------------------------


def scan_deadlines(today: datetime.date | None = None) -> dict[str, int]:
    """The daily deadline scan, in SQL: flag cases past their due date as overdue, clear the
    flag where the deadline moved or the clock stopped, and remind each department's staff of the
    cases due within the next working days (one message per staff user and day)."""
    from portal.notifications.services import OutgoingMessage, send_bulk

    today = today or timezone.localdate()
    running = list(CLOCK_RUNNING)
    with transaction.atomic():
        marked = Case.objects.filter(overdue=False, due_on__lt=today, status__in=running).update(
            overdue=True
        )
        cleared = (
            Case.objects.filter(overdue=True)
            .filter(Q(due_on__gte=today) | ~Q(status__in=running) | Q(due_on__isnull=True))
            .update(overdue=False)
        )
    horizon = add_working_days(today, REMINDER_WORKING_DAYS)
    due_soon = dict(
        Case.objects.filter(due_on__gte=today, due_on__lte=horizon, status__in=running)
        .values("department_id")
        .annotate(n=Count("id"))
        .values_list("department_id", "n")
    )
    overdue_counts = dict(
        Case.objects.filter(overdue=True, status__in=running)
        .values("department_id")
        .annotate(n=Count("id"))
        .values_list("department_id", "n")
    )
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    staff = get_user_model().objects.filter(
        role=perms.DEPARTMENT_STAFF_ROLE,
        is_active=True,
        department_id__in=set(due_soon) | set(overdue_counts),
    )
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for user in staff:
            soon = due_soon.get(user.department_id, 0)
            late = overdue_counts.get(user.department_id, 0)
            messages.append(
                OutgoingMessage(
                    channel="inbox",
                    recipient=user,
                    subject=_("Cases due soon: %(soon)d; overdue: %(late)d")
                    % {"soon": soon, "late": late},
                    body=_(
                        "%(soon)d cases of your department are due by %(horizon)s and %(late)d "
                        "are overdue."
                    )
                    % {"soon": soon, "late": late, "horizon": horizon.isoformat()},
                    link=reverse("approvals:staff_cases"),
                    key=f"case-deadlines-{user.pk}-{today.isoformat()}",
                )
            )
    sent = send_bulk(messages) if messages else 0
    return {"marked_overdue": marked, "cleared": cleared, "reminders": sent}


def scan_missing_materials(today: datetime.date | None = None) -> dict[str, int]:
    """The daily check of acceptance with materials to follow (容缺受理), in SQL: flag the cases
    whose materials deadline has passed while a required material is still missing
    (``materials_overdue_on``, shown to staff), clear the flag where it no longer applies, and
    remind each newly flagged case's applicant once (the key names the case and its deadline).
    A fixed number of statements whatever the number of cases."""
    from django.conf import settings

    from portal.notifications.services import send_bulk, to_person

    today = today or timezone.localdate()
    still_missing = Exists(
        selectors.unanswered_materials(OuterRef(OuterRef("pk"))).filter(item_id=OuterRef("item_id"))
    )
    with transaction.atomic():
        flagged = (
            Case.objects.filter(
                status=Status.ACCEPTED_WITH_MISSING_MATERIALS,
                materials_due_on__lt=today,
                materials_overdue_on__isnull=True,
            )
            .filter(still_missing)
            .update(materials_overdue_on=today)
        )
        cleared = (
            Case.objects.filter(materials_overdue_on__isnull=False)
            .exclude(status=Status.ACCEPTED_WITH_MISSING_MATERIALS)
            .update(materials_overdue_on=None)
        )
    # The cases flagged today (also on a second run the same day: the keys stop repeats).
    late = Case.objects.filter(
        materials_overdue_on=today, status=Status.ACCEPTED_WITH_MISSING_MATERIALS
    ).select_related("applicant_user", "item")
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for case in late:
            subject = _("Case %(reference)s: materials overdue") % {"reference": case.reference}
            body = _(
                "Your application for “%(item)s” was accepted with materials to follow, due by "
                "%(date)s, and they have not all been supplied (to follow: %(materials)s). "
                "Please supply them now or contact the acceptance point."
            ) % {
                "item": case.item.name,
                "date": case.materials_due_on.isoformat() if case.materials_due_on else "",
                "materials": "、".join(case.missing_materials) or "—",
            }
            messages += to_person(
                user=case.applicant_user,
                mobile=case.applicant_mobile,
                subject=subject,
                body=body,
                link=case.get_absolute_url(),
                key=f"case-{case.pk}-materials-overdue-{case.materials_due_on}",
            )
    sent = send_bulk(messages) if messages else 0
    return {"materials_flagged": flagged, "materials_cleared": cleared, "materials_reminders": sent}

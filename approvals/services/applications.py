"""Applications: a citizen's online application, a walk-in recorded by point staff, a case the
system opens on its own channel, and materials added later."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.catalogue.models import Department, Material, MaterialSource, ServiceItem
from portal.uploads import check_upload
from portal.validators import (
    mask_identifier,
    validate_resident_id,
    validate_uscc,
    validate_visible_text,
)
from portal.workdays import add_working_days
from portal.workflow import write_log

from .. import permissions as perms
from .. import selectors
from ..models import (
    MATERIALS_OPEN,
    SYSTEM_CHANNELS,
    AcceptancePoint,
    ApplicantKind,
    Case,
    CaseMaterial,
    Channel,
    MaterialKind,
    PointKind,
    Status,
)
from . import smart
from .references import next_reference
from .steps import CASE_WORKFLOW, notify_applicant


class NotAcceptableHere(ValidationError):
    """The accepting point may not accept the item (names the rule and the places instead)."""

    def __init__(self, decision: selectors.AcceptanceDecision):
        super().__init__(decision.message, code="not_acceptable_here")
        self.decision = decision


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


CHANNEL_FLAGS: dict[str, str] = {
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
    for material in item_materials:
        try:
            row = _required_material(case, material, by_id.pop(material.pk, {}), now)
        except ValidationError as exc:
            errors[f"material_{material.pk}"] = exc.messages
            continue
        if row is not None:
            rows.append(row)
    for material_id in by_id:
        errors[f"material_{material_id}"] = [_("This material does not belong to the item.")]
    for entry in extra:
        row = _extra_material(case, entry, now)
        if row is None:
            errors.setdefault("materials", []).append(
                _("Each material needs the required material it answers, or a shared record.")
            )
        else:
            rows.append(row)
    if errors:
        raise ValidationError(errors)
    return rows


def _required_material(
    case: Case, material: Material, entry: dict, now: datetime.datetime
) -> CaseMaterial | None:
    """What the applicant gave for one of the item's materials (None: nothing, and that is
    allowed); ValidationError when a required one is missing or an upload is refused."""
    if material.source == MaterialSource.SHARED:
        record = entry.get("shared_record") or (
            f"共享数据/{material.name}/{mask_identifier(case.applicant_id_number)}"
        )
        return CaseMaterial(
            case=case,
            material=material,
            name=material.name,
            kind=MaterialKind.SHARED,
            shared_record=record[:200],
        )
    if material.source == MaterialSource.COMMITMENT:
        if entry.get("committed"):
            text = material.commitment_text or _(
                "I commit that the information I have given about “%(name)s” is true."
            ) % {"name": material.name}
            return CaseMaterial(
                case=case,
                material=material,
                name=material.name,
                kind=MaterialKind.COMMITMENT,
                commitment_text=text,
                committed_at=now,
            )
        if material.required:
            raise ValidationError(
                _("Tick the commitment on “%(name)s” to continue.") % {"name": material.name}
            )
        return None
    if entry.get("paper"):
        return CaseMaterial(
            case=case, material=material, name=material.name, kind=MaterialKind.PAPER
        )
    upload = entry.get("file")
    if upload:
        return _uploaded_material(case, material, upload)
    if material.required and not case.item.missing_materials_allowed:
        if case.channel == Channel.SERVICE_HALL:
            # At the counter nothing is uploaded: what is missing is the paper original.
            raise ValidationError(
                _(
                    "The paper original of “%(name)s” has not been received. Receive it and "
                    "tick the box: this item cannot be accepted with materials to follow."
                )
                % {"name": material.name}
            )
        raise ValidationError(_("Upload “%(name)s”.") % {"name": material.name})
    return None


def _extra_material(case: Case, entry: dict, now: datetime.datetime) -> CaseMaterial | None:
    """A material given beyond the item's list: a shared record or a commitment; else None."""
    kind = entry.get("kind")
    if kind == MaterialKind.SHARED and entry.get("shared_record"):
        return CaseMaterial(
            case=case,
            name=entry.get("name") or _("Shared data record"),
            kind=MaterialKind.SHARED,
            shared_record=entry["shared_record"][:200],
        )
    if kind == MaterialKind.COMMITMENT and entry.get("commitment_text"):
        return CaseMaterial(
            case=case,
            name=entry.get("name") or _("Commitment"),
            kind=MaterialKind.COMMITMENT,
            commitment_text=entry["commitment_text"],
            committed_at=now,
        )
    return None


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

    ``accepting_point`` left out: the portal chooses it
    (:func:`approvals.selectors.online_acceptance_point`).

    Raises :class:`NotAcceptableHere` when the point may not accept the item, and
    ValidationError (keyed by field) for bad applicant data, channel or materials."""
    if submission_key:
        existing = Case.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            existing.resubmitted = True
            return existing
    if not item.is_active:
        raise ValidationError({"item": [_("This item is no longer offered.")]})
    if accepting_point is None:
        # The applicant does not choose: the portal does, by the item and the applicant's
        # district (ADR 0103).
        chosen = selectors.online_acceptance_point(item, applicant_kind, applicant_id_number)
        if chosen.point is None:
            raise NotAcceptableHere(
                chosen.refusal
                or selectors.AcceptanceDecision(False, "not_acceptable_here", chosen.reason)
            )
        accepting_point = chosen.point
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
        case = _record_case(
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
    # An item with smart approval: checked at once, approved by the system when every
    # condition is met (ADR 0117).
    return smart.assess_quietly(case)


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
        log = write_log(
            CASE_WORKFLOW,
            case,
            "submit",
            source="",
            target=Status.SUBMITTED,
            user=by,
            role=perms.actor_role(by, case) if by else "applicant",
            at=now,
            note=note,
        )
        transaction.on_commit(partial(notify_applicant, case, log), robust=True)
    return case


def open_case_on_channel(
    *,
    channel: str,
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
    """A case the system opens on one of the :data:`~approvals.models.SYSTEM_CHANNELS` (e.g.
    when a company confirms a proactive offer): already ACCEPTED at the online platform (no
    acceptance-point check), deadline started, logged as by the system. The system may take
    its review steps (:func:`approvals.permissions.department_staff_or_system`); its approval
    is announced by :data:`approvals.signals.case_approved`.

    ``materials`` are dicts ``{"kind": "shared"|"commitment", "name", "shared_record" or
    "commitment_text", optionally "material": id}``."""
    if channel not in SYSTEM_CHANNELS:
        raise ValueError(f"the system does not open cases on the channel {channel!r}")
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
            channel=channel,
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
        log = write_log(
            CASE_WORKFLOW,
            case,
            "open",
            source="",
            target=Status.ACCEPTED,
            user=None,
            at=now,
            note=note,
            data={"channel": channel},
        )
        transaction.on_commit(partial(notify_applicant, case, log), robust=True)
    return case


def add_material(case: Case, material: Material, upload, *, user: Any) -> CaseMaterial:
    """An applicant (or point staff) adds a file to an open case, e.g. a missing material."""
    if not perms.applicant_or_point_staff(user, case):
        raise ValidationError(_("You may not add materials to this case."), code="forbidden")
    if case.status not in MATERIALS_OPEN:
        raise ValidationError(_("Materials can no longer be added to this case."), code="state")
    if material.item_id != case.item_id:
        raise ValidationError(_("This material does not belong to the item."), code="material")
    row = _uploaded_material(case, material, upload)
    row.save()
    return row
